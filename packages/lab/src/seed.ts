// Writing a fixture into a running lab over LDAPS (verification on), on one connection:
// all objects first (several requests in flight), then every object's links in one modify each,
// then one paged read to learn the DNs and GUIDs the DC assigned.
import { Attribute, Change, Client } from 'ldapts';
import { dnKey } from './dn.js';
import type { Fixture, LinkAttribute, SeededObject, SeedResult } from './fixture.js';
import { buildSeedPlan, type PlannedObject, type SeedPlan } from './plan.js';
import type { LabEnv } from './env.js';
import { phaseTimer } from './phase-timer.js';

export interface SeedOptions {
  /**
   * Requests kept in flight on the one connection (default 16): hides the round trip; the DC still
   * applies them one at a time, so there is no contention for its database lock.
   */
  inFlight?: number;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

export function connect(env: LabEnv): Client {
  return new Client({
    url: env.url,
    timeout: 120_000,
    connectTimeout: 10_000,
    tlsOptions: { ca: [env.caPem] },
  });
}

/** GUID string from AD's binary objectGUID (first three fields little-endian). */
export function guidFromBytes(b: Buffer): string {
  if (b.length !== 16) throw new Error(`objectGUID must be 16 bytes, got ${b.length}`);
  const hex = (bytes: Buffer | number[]) => Buffer.from(bytes).toString('hex');
  return [
    hex([b[3], b[2], b[1], b[0]] as number[]),
    hex([b[5], b[4]] as number[]),
    hex([b[7], b[6]] as number[]),
    hex(b.subarray(8, 10)),
    hex(b.subarray(10, 16)),
  ].join('-');
}

/** `S-1-5-21-...` from a binary objectSid. */
export function sidFromBytes(b: Buffer): string {
  const revision = b[0] as number;
  const count = b[1] as number;
  const authority = b.readUIntBE(2, 6);
  const subs = Array.from({ length: count }, (_, i) => b.readUInt32LE(8 + i * 4));
  return `S-${revision}-${authority}${subs.map((s) => `-${s}`).join('')}`;
}

async function addObject(client: Client, o: PlannedObject): Promise<void> {
  const attributes = [
    new Attribute({ type: 'objectClass', values: o.objectClass }),
    ...Object.entries(o.attributes).map(([type, values]) => new Attribute({ type, values })),
  ];
  try {
    await client.add(o.dn, attributes);
  } catch (err) {
    throw new Error(`seeding ${o.key} (${o.dn}) failed: ${(err as Error).message}`);
  }
}

async function setLinks(client: Client, o: PlannedObject, dnOf: (key: string) => string): Promise<number> {
  const entries = Object.entries(o.links) as [LinkAttribute, string[]][];
  if (entries.length === 0) return 0;
  const changes = entries.map(
    ([type, keys]) =>
      new Change({ operation: 'replace', modification: new Attribute({ type, values: keys.map(dnOf) }) }),
  );
  try {
    await client.modify(o.dn, changes);
  } catch (err) {
    throw new Error(
      `linking ${o.key} (${entries.map(([a]) => a).join(', ')}) failed: ${(err as Error).message}`,
    );
  }
  return entries.reduce((n, [, keys]) => n + keys.length, 0);
}

/** Seed `fixture` into the lab described by `env`. The lab must not already contain the fixture's objects. */
export async function seed(fixture: Fixture, env: LabEnv, options: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const inFlight = options.inFlight ?? 16;
  const plan = buildSeedPlan(fixture, env.baseDn);
  const client = connect(env);
  try {
    await client.bind(env.bindDn, env.bindPassword);
    // OUs one by one (parents first), then everything else with requests in flight
    const ous = plan.objects.filter((o) => o.kind === 'ou');
    const { phases, lap } = phaseTimer(['add', 'link', 'read']);
    for (const ou of ous) await addObject(client, ou);
    await inBatches(
      plan.objects.filter((o) => o.kind !== 'ou'),
      inFlight,
      (o) => addObject(client, o),
    );
    lap('add');
    const dnOf = (key: string) => (plan.byKey.get(key) as PlannedObject).dn;
    let linkValues = 0;
    await inBatches(
      plan.objects.filter((o) => Object.keys(o.links).length > 0),
      inFlight,
      async (o) => {
        const written = await setLinks(client, o, dnOf);
        linkValues += written;
      },
    );

    lap('link');
    const assigned = await readAssigned(client, fixture, plan);
    lap('read');
    return seedResult(fixture, env, plan, assigned, {
      objects: plan.objects.length,
      linkValues,
      ms: Math.round(performance.now() - started),
      phases,
    });
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** DN (as the DC spells it), objectGUID and objectSid the DC gave each planned object. */
export type Assigned = Map<string, { dn: string; guid: string; sid?: string }>;

/** Reads back what the DC assigned, under each top-level OU of the fixture (one paged search each). */
export async function readAssigned(client: Client, fixture: Fixture, plan: SeedPlan): Promise<Assigned> {
  const byDnKey = new Map(plan.objects.map((o) => [dnKey(o.dn), o]));
  const assigned: Assigned = new Map();
  const topOus = plan.objects.filter(
    (o) => o.kind === 'ou' && !fixture.ous.find((spec) => spec.key === o.key)?.parent,
  );
  for (const top of topOus) {
    const { searchEntries } = await client.search(top.dn, {
      scope: 'sub',
      filter: '(objectClass=*)',
      attributes: ['objectGUID', 'objectSid'],
      explicitBufferAttributes: ['objectGUID', 'objectSid'],
      paged: { pageSize: 1000 },
    });
    for (const entry of searchEntries) {
      const planned = byDnKey.get(dnKey(entry.dn));
      if (!planned) continue;
      const sid = entry.objectSid;
      assigned.set(planned.key, {
        dn: entry.dn,
        guid: guidFromBytes(entry.objectGUID as Buffer),
        sid: Buffer.isBuffer(sid) && sid.length > 0 ? sidFromBytes(sid) : undefined,
      });
    }
  }
  const missing = plan.objects.filter((o) => !assigned.has(o.key)).map((o) => o.key);
  if (missing.length > 0)
    throw new Error(`seeded objects not found when read back: ${missing.slice(0, 10).join(', ')}`);
  return assigned;
}

/** The SeedResult of a plan the DC holds: every object with the DN, GUID and SID it got. */
export function seedResult(
  fixture: Fixture,
  env: LabEnv,
  plan: SeedPlan,
  assigned: Assigned,
  stats: SeedResult['stats'],
): SeedResult {
  const serverDn = (key: string) => (assigned.get(key) as { dn: string }).dn;
  const objects: Record<string, SeededObject> = {};
  for (const o of plan.objects) {
    const a = assigned.get(o.key) as { dn: string; guid: string; sid?: string };
    const links: SeededObject['links'] = {};
    for (const [attr, keys] of Object.entries(o.links) as [LinkAttribute, string[]][])
      links[attr] = keys.map(serverDn);
    objects[o.key] = {
      key: o.key,
      kind: o.kind,
      dn: a.dn,
      objectGUID: a.guid,
      ...(a.sid ? { objectSid: a.sid } : {}),
      ...(o.mail ? { mail: o.mail } : {}),
      ...(o.alias ? { alias: o.alias } : {}),
      ...(o.samAccountName ? { samAccountName: o.samAccountName } : {}),
      attributes: o.attributes,
      links,
    };
  }
  return {
    fixture: fixture.name,
    fixtureVersion: fixture.version,
    baseDn: env.baseDn,
    objects,
    stats,
  };
}
