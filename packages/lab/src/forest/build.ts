// The steps that turn separately provisioned domain labs into one lab forest (forest.ts runs them in order):
// crossRefs and partial-replica partitions (DCs stopped), an account every DC accepts, the links that cross domains,
// and the lingering objects of a domain without a DC.
import { Attribute, Change, Client } from 'ldapts';
import { rdn } from '../dn.js';
import type { LabEnv } from '../env.js';
import { SINGLE_VALUED_LINKS, type LinkAttribute, type SeededObject } from '../fixture.js';
import type { Lab } from '../lab.js';
import { RECIPIENT_DISPLAY_TYPE, RECIPIENT_TYPE_DETAILS, GROUP_TYPE } from '../recipients.js';
import { guidFromBytes } from '../seed.js';
import { splitForestKey, type ForestFixture, type LingeringDomainSpec } from './fixture.js';
import { randomDomainSid, randomGuidHex, sidToHex } from './ids.js';
import { replicaTool, type SyncCounts } from './replica-tool.js';

/** One domain of the forest being built or used. */
export interface DomainHandle {
  key: string;
  realm: string;
  netbios: string;
  lab: Lab;
  env: LabEnv;
  /** The DC's folder (`.lab/<instance>/dc`). */
  dc: string;
  nc: string;
}

export interface NcHead {
  guidHex: string;
  sidHex: string;
}

/** A seeded object of the forest, with the domain it lives in. */
export interface ForestObject extends SeededObject {
  /** Domain key (`root`, `emea`, or a lingering domain's key). */
  domain: string;
}

export interface LingeringDomain {
  spec: LingeringDomainSpec;
  nc: string;
  dnsRoot: string;
  sid: string;
  head: NcHead;
}

async function bound(env: LabEnv, bindDn = env.bindDn, password = env.bindPassword): Promise<Client> {
  const client = new Client({
    url: env.url,
    timeout: 60_000,
    connectTimeout: 10_000,
    tlsOptions: { ca: [env.caPem] },
  });
  await client.bind(bindDn, password);
  return client;
}

/** objectGUID and objectSid of a domain's NC head, as stored (hex). */
export async function readNcHead(env: LabEnv): Promise<NcHead> {
  const client = await bound(env);
  try {
    const { searchEntries } = await client.search(env.baseDn, {
      scope: 'base',
      attributes: ['objectGUID', 'objectSid'],
      explicitBufferAttributes: ['objectGUID', 'objectSid'],
    });
    const head = searchEntries[0];
    if (!head) throw new Error(`${env.name}: no naming context head ${env.baseDn}`);
    return {
      guidHex: (head.objectGUID as Buffer).toString('hex'),
      sidHex: (head.objectSid as Buffer).toString('hex'),
    };
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

export function lingeringDomain(spec: LingeringDomainSpec): LingeringDomain {
  const sid = randomDomainSid();
  const nc = spec.realm
    .toLowerCase()
    .split('.')
    .map((part) => `DC=${part}`)
    .join(',');
  return {
    spec,
    nc,
    dnsRoot: spec.realm.toLowerCase(),
    sid,
    head: { guidHex: randomGuidHex(), sidHex: sidToHex(sid) },
  };
}

/**
 * What a real forest's DCs share (run with every DC stopped): a crossRef for every other domain in each DC's
 * configuration NC, and on each DC a partial replica of every other domain — and of the lingering domains it still
 * holds — for its global catalog.
 */
export async function stitch(
  domains: { handle: DomainHandle; head: NcHead }[],
  lingering: LingeringDomain[],
): Promise<void> {
  for (const { handle: x } of domains) {
    const others = [
      ...domains
        .filter((y) => y.handle !== x)
        .map(({ handle: y, head }) => ({
          nc: y.nc,
          dnsRoot: y.realm.toLowerCase(),
          netbios: y.netbios,
          head,
          held: true,
        })),
      ...lingering.map((l) => ({
        nc: l.nc,
        dnsRoot: l.dnsRoot,
        netbios: l.spec.netbios,
        head: l.head,
        held: l.spec.heldBy.includes(x.key),
      })),
    ];
    for (const y of others) {
      await replicaTool({ op: 'crossref', dc: x.dc, nc: y.nc, dnsRoot: y.dnsRoot, netbios: y.netbios });
      if (!y.held) continue;
      await replicaTool({
        op: 'create-replica',
        dc: x.dc,
        ownNc: x.nc,
        nc: y.nc,
        headGuidHex: y.head.guidHex,
        headSidHex: y.head.sidHex,
        headCategory: `CN=Domain-DNS,CN=Schema,CN=Configuration,${x.nc}`,
      });
    }
  }
}

/** Every (source, replica) pair of the forest: each domain's NC into the replica on every other DC. */
function replicationPairs(domains: DomainHandle[]): { from: DomainHandle; to: DomainHandle }[] {
  return domains.flatMap((to) => domains.filter((from) => from !== to).map((from) => ({ from, to })));
}

/** One replication pass over every pair (one helper process for all of them). */
export function replicateAll(domains: DomainHandle[]): Promise<SyncCounts> {
  return replicaTool({
    op: 'sync',
    pairs: replicationPairs(domains).map(({ from, to }) => ({ from: from.dc, to: to.dc, nc: from.nc })),
  });
}

/**
 * An account every DC of the forest accepts, as a forest-wide administrator does in AD (where one domain's account
 * binds to every DC): the same user principal name and password in each domain, member of its Domain Admins.
 * It lives in CN=Users, which replication leaves alone, so the copies never meet.
 */
export async function addForestAdmin(domains: DomainHandle[], upn: string, password: string): Promise<void> {
  const unicodePwd = Buffer.from(`"${password}"`, 'utf16le');
  for (const d of domains) {
    const client = await bound(d.env);
    try {
      const dn = `CN=Forest Admin,CN=Users,${d.nc}`;
      await client.add(dn, [
        new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
        new Attribute({ type: 'sAMAccountName', values: ['forestadmin'] }),
        new Attribute({ type: 'userPrincipalName', values: [upn] }),
        new Attribute({ type: 'unicodePwd', values: [unicodePwd] }),
        new Attribute({ type: 'userAccountControl', values: ['512'] }),
      ]);
      await client.modify(`CN=Domain Admins,CN=Users,${d.nc}`, [
        new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [dn] }) }),
      ]);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}

/**
 * The fixture's cross-domain links, each written on the DC of the object that holds it (which resolves the targets
 * through its replica of their domain, so replication must have run). Returns the objects with the links added.
 */
export async function writeCrossLinks(
  fixture: ForestFixture,
  domains: DomainHandle[],
  objects: Record<string, ForestObject>,
): Promise<number> {
  const object = (ref: string) => {
    const o = objects[ref];
    if (!o) throw new Error(`forest fixture ${fixture.name}: no object ${ref}`);
    return o;
  };
  let written = 0;
  for (const link of fixture.links) {
    const from = object(link.from);
    const domain = domains.find((d) => d.key === from.domain);
    if (!domain) throw new Error(`forest fixture ${fixture.name}: no domain ${from.domain}`);
    const targets = link.to.map((ref) => object(ref).dn);
    const client = await bound(domain.env);
    try {
      const operation = SINGLE_VALUED_LINKS.has(link.attribute) ? 'replace' : 'add';
      await client.modify(from.dn, [
        new Change({ operation, modification: new Attribute({ type: link.attribute, values: targets }) }),
      ]);
    } catch (err) {
      throw new Error(
        `cross-domain link ${link.from} ${link.attribute} → ${link.to.join(', ')}: ${(err as Error).message}`,
      );
    } finally {
      await client.unbind().catch(() => undefined);
    }
    const links = from.links[link.attribute] ?? [];
    from.links[link.attribute] = SINGLE_VALUED_LINKS.has(link.attribute) ? targets : [...links, ...targets];
    written += targets.length;
  }
  return written;
}

/**
 * The objects of each lingering domain, written straight into the replica of it that the DCs of `heldBy` still
 * hold. Their links name objects of those DCs' own domains.
 */
export async function injectLingering(
  lingering: LingeringDomain[],
  domains: DomainHandle[],
  objects: Record<string, ForestObject>,
): Promise<Record<string, ForestObject>> {
  const injected: Record<string, ForestObject> = {};
  for (const l of lingering) {
    const dnOf = new Map<string, string>();
    let rid = 1100;
    const planned = l.spec.objects.map((o) => {
      const parent = o.parent === undefined ? l.nc : dnOf.get(o.parent);
      if (parent === undefined)
        throw new Error(`lingering ${l.spec.key}:${o.key}: parent ${o.parent} unknown (list parents first)`);
      const dn = `${rdn(o.kind === 'ou' ? 'OU' : 'CN', o.name)},${parent}`;
      dnOf.set(o.key, dn);
      const guidHex = randomGuidHex();
      const attributes: Record<string, string[]> =
        o.kind === 'ou'
          ? { objectClass: ['top', 'organizationalUnit'], ou: [o.name] }
          : {
              objectClass: ['top', 'group'],
              sAMAccountName: [`${l.spec.netbios}-${o.key}`.replace(/[^A-Za-z0-9-]/g, '').slice(0, 20)],
              groupType: [String(GROUP_TYPE.universalDistribution)],
              ...(o.mail
                ? {
                    mail: [o.mail],
                    mailNickname: [o.mail.split('@')[0] as string],
                    proxyAddresses: [`SMTP:${o.mail}`],
                    msExchRecipientTypeDetails: [
                      String(RECIPIENT_TYPE_DETAILS.MailUniversalDistributionGroup),
                    ],
                    msExchRecipientDisplayType: [String(RECIPIENT_DISPLAY_TYPE.DistributionGroup)],
                  }
                : {}),
            };
      const links: Partial<Record<LinkAttribute, string[]>> = {};
      for (const [attribute, refs] of Object.entries(o.links ?? {}) as [LinkAttribute, string[]][]) {
        links[attribute] = refs.map((ref) => {
          const target = objects[ref];
          if (!target) throw new Error(`lingering ${l.spec.key}:${o.key}: no object ${ref}`);
          if (!l.spec.heldBy.includes(splitForestKey(ref).domain))
            throw new Error(
              `lingering ${l.spec.key}:${o.key} links to ${ref}, outside the domains holding it`,
            );
          return target.dn;
        });
      }
      const sid = o.kind === 'group' ? `${l.sid}-${rid++}` : undefined;
      return { o, dn, guidHex, sid, attributes, links };
    });
    for (const holder of domains.filter((d) => l.spec.heldBy.includes(d.key))) {
      await replicaTool({
        op: 'inject',
        dc: holder.dc,
        objects: planned.map((p) => ({
          dn: p.dn,
          guidHex: p.guidHex,
          ...(p.sid ? { sidHex: sidToHex(p.sid) } : {}),
          attributes: { ...p.attributes, ...p.links },
        })),
      });
    }
    for (const p of planned) {
      const { objectClass: _classes, ...attributes } = p.attributes;
      injected[`${l.spec.key}:${p.o.key}`] = {
        key: p.o.key,
        domain: l.spec.key,
        kind: p.o.kind === 'ou' ? 'ou' : 'group:distribution',
        dn: p.dn,
        objectGUID: guidFromBytes(Buffer.from(p.guidHex, 'hex')),
        ...(p.sid ? { objectSid: p.sid } : {}),
        ...(p.o.mail ? { mail: p.o.mail } : {}),
        attributes,
        links: p.links,
      };
    }
  }
  return injected;
}
