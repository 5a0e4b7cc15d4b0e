// A lab forest: several domains, each a Samba DC on its own loopback address (an ordinary lab instance), made into
// one forest as far as a client can tell — every DC lists every domain in CN=Partitions, holds a partial replica of
// every other domain for its global catalog (kept in step by replicate()), and accepts one forest-wide account.
// Why not a real child domain: Samba cannot create one (README.md "Several domains").
//
// Opt-in: nothing here runs for an ordinary `Lab.ensure`. Instances: `<forest>` for the root domain and
// `<forest>-<key>` for the others; the forest's own state is `.lab/<forest>.forest.json` (0600: it holds the
// forest admin's password), guarded by `.lab/<forest>.forest.lock`.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { contosoForest } from '../fixtures/contoso-forest.js';
import { Lab } from '../lab.js';
import { withLock } from '../lock.js';
import { assertInstanceName, instancePaths, labsRoot } from '../paths.js';
import { schemaFingerprint } from '../provision.js';
import {
  addForestAdmin,
  injectLingering,
  lingeringDomain,
  readNcHead,
  replicateAll,
  stitch,
  writeCrossLinks,
  type DomainHandle,
  type ForestObject,
} from './build.js';
import type { ForestFixture } from './fixture.js';
import { replicaToolFingerprint, type SyncCounts } from './replica-tool.js';

export interface ForestEnsureOptions {
  name: string;
  /** Default: contoso-forest. */
  fixture?: ForestFixture;
  log?: (line: string) => void;
}

/** How to reach one domain of the forest. */
export interface ForestDomainEnv {
  key: string;
  realm: string;
  netbios: string;
  /** The domain naming context (`DC=emea,DC=lab,DC=test`). */
  nc: string;
  dnsRoot: string;
  /** The lab instance running its DC. */
  instance: string;
  host: string;
  /** ldaps://<host>:636 of its DC */
  url: string;
  startTlsUrl: string;
  /** ldaps://<host>:3269: its DC's global catalog, which answers for the whole forest. */
  gcUrl: string;
}

export interface ForestEnv {
  name: string;
  /** Every domain with a DC; the first is the forest root. */
  domains: ForestDomainEnv[];
  /** Domains listed in CN=Partitions whose DC is gone (their objects linger in some global catalogs). */
  lingering: { key: string; realm: string; netbios: string; nc: string; dnsRoot: string }[];
  /** Domain NC → URL of its DC: what a client needs to write each object on a DC of its domain. */
  domainControllers: Record<string, string>;
  /** The CA certificates of every DC (one PEM bundle). */
  caPem: string;
  /** An account every DC accepts (`forestadmin@<root realm>`). */
  bindDn: string;
  /** A lab secret: never log it. */
  bindPassword: string;
}

export interface ForestSeedResult {
  fixture: string;
  fixtureVersion: number;
  /** Every object, by `<domain>:<key>` (`emea:groups.board`), lingering objects included. */
  objects: Record<string, ForestObject>;
  crossLinkValues: number;
}

interface ForestState {
  stage: 'building' | 'golden';
  fixture: string;
  version: number;
  /** Versions of the domains' fixtures and the schema extension at build time: any change rebuilds. */
  built: string;
  adminUpn: string;
  adminPassword: string;
  /** The domains with a DC, root first, and the instance running each. */
  domains: { key: string; realm: string; netbios: string; instance: string }[];
  lingering: ForestEnv['lingering'];
  seed?: ForestSeedResult;
}

function buildStamp(fixture: ForestFixture): string {
  return JSON.stringify({
    domains: fixture.domains.map((d) => [d.key, d.realm, d.fixture.name, d.fixture.version]),
    schema: schemaFingerprint(),
    tool: replicaToolFingerprint(),
  });
}

function instanceName(forest: string, domainKey: string, index: number): string {
  const name = index === 0 ? forest : `${forest}-${domainKey}`;
  assertInstanceName(name);
  return name;
}

function statePaths(name: string): { file: string; lock: string } {
  assertInstanceName(name);
  const root = labsRoot();
  return { file: path.join(root, `${name}.forest.json`), lock: path.join(root, `${name}.forest.lock`) };
}

async function readState(file: string): Promise<ForestState | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as ForestState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
}

async function writeState(file: string, state: ForestState): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}

function handleOf(domain: ForestState['domains'][number], lab: Lab): DomainHandle {
  const env = lab.env();
  return { ...domain, lab, env, dc: instancePaths(lab.name).dc, nc: env.baseDn };
}

/** A running replication loop; stop() waits for the pass in progress. */
export interface ReplicationLoop {
  /** Completed passes so far. */
  readonly passes: number;
  stop(): Promise<void>;
}

export class LabForest {
  /** replicate(), reset() and destroy() one at a time: a pass must never read a DC folder being restored. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly name: string,
    private readonly domains: DomainHandle[],
    private readonly state: ForestState,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Make the forest `name` exist and run with `fixture` (default contoso-forest), reusing it when it was built from
   * the same fixture and schema; otherwise (re)build every domain instance from scratch.
   */
  static async ensure(options: ForestEnsureOptions): Promise<LabForest> {
    const fixture = options.fixture ?? contosoForest;
    const log = options.log ?? (() => undefined);
    if (fixture.domains.length < 2)
      throw new Error(`forest fixture ${fixture.name} needs at least two domains`);
    const { file, lock } = statePaths(options.name);
    return withLock(lock, async () => {
      const state = await readState(file);
      const names = fixture.domains.map((d, i) => instanceName(options.name, d.key, i));
      const reusable =
        state?.stage === 'golden' &&
        state.fixture === fixture.name &&
        state.version === fixture.version &&
        state.built === buildStamp(fixture) &&
        (
          await Promise.all(names.map(async (n) => (await (await Lab.open(n))?.status())?.stage === 'golden'))
        ).every(Boolean);
      if (reusable && state) {
        const labs = await LabForest.domainLabs(fixture, names, log);
        const domains = state.domains.map((d, i) => handleOf(d, labs[i] as Lab));
        return new LabForest(options.name, domains, state, log);
      }
      return LabForest.build(options.name, fixture, names, file, log);
    });
  }

  /** An existing forest as it is (nothing started), or null. */
  static async open(name: string, log: (line: string) => void = () => undefined): Promise<LabForest | null> {
    const state = await readState(statePaths(name).file);
    if (!state) return null;
    const domains: DomainHandle[] = [];
    for (const d of state.domains) {
      const lab = await Lab.open(d.instance, log);
      if (lab) domains.push(handleOf(d, lab));
    }
    return new LabForest(name, domains, state, log);
  }

  /** Names of every forest that has a state file. */
  static async list(): Promise<string[]> {
    const entries = await fs.readdir(labsRoot()).catch(() => [] as string[]);
    return entries.filter((e) => e.endsWith('.forest.json')).map((e) => e.slice(0, -'.forest.json'.length));
  }

  private static async domainLabs(
    fixture: ForestFixture,
    names: string[],
    log: (line: string) => void,
  ): Promise<Lab[]> {
    const labs: Lab[] = [];
    // one after the other: provisioning and seeding are CPU-bound, and the machine is shared
    for (const [i, spec] of fixture.domains.entries())
      labs.push(
        await Lab.ensure({
          name: names[i] as string,
          fixture: spec.fixture,
          realm: spec.realm,
          domain: spec.netbios,
          log,
        }),
      );
    return labs;
  }

  private static async build(
    name: string,
    fixture: ForestFixture,
    names: string[],
    file: string,
    log: (line: string) => void,
  ): Promise<LabForest> {
    const started = performance.now();
    const state: ForestState = {
      stage: 'building',
      fixture: fixture.name,
      version: fixture.version,
      built: buildStamp(fixture),
      adminUpn: `forestadmin@${(fixture.domains[0] as ForestFixture['domains'][number]).realm.toLowerCase()}`,
      adminPassword: `Forest-${randomBytes(12).toString('base64url')}#9z`,
      domains: fixture.domains.map((d, i) => ({
        key: d.key,
        realm: d.realm.toUpperCase(),
        netbios: d.netbios.toUpperCase(),
        instance: names[i] as string,
      })),
      lingering: [],
    };
    await writeState(file, state);
    log(`forest ${name}: building ${fixture.name} v${fixture.version} (${names.join(', ')})`);
    for (const n of names) await (await Lab.open(n, log))?.destroy();
    const labs = await LabForest.domainLabs(fixture, names, log);
    const domains = state.domains.map((d, i) => handleOf(d, labs[i] as Lab));
    const heads = await Promise.all(
      domains.map(async (handle) => ({ handle, head: await readNcHead(handle.env) })),
    );
    const lingering = fixture.lingering.map(lingeringDomain);
    state.lingering = lingering.map((l) => ({
      key: l.spec.key,
      realm: l.spec.realm,
      netbios: l.spec.netbios,
      nc: l.nc,
      dnsRoot: l.dnsRoot,
    }));

    for (const d of domains) await d.lab.stop();
    await stitch(heads, lingering);
    for (const d of domains) await d.lab.start();
    await addForestAdmin(domains, state.adminUpn, state.adminPassword);
    await replicateAll(domains);

    const objects: Record<string, ForestObject> = {};
    for (const d of domains)
      for (const [key, o] of Object.entries(d.lab.seeded()?.objects ?? {}))
        objects[`${d.key}:${key}`] = { ...o, domain: d.key, links: { ...o.links } };
    const crossLinkValues = await writeCrossLinks(fixture, domains, objects);
    await replicateAll(domains);
    Object.assign(objects, await injectLingering(lingering, domains, objects));
    for (const d of domains) await d.lab.snapshot();

    state.seed = { fixture: fixture.name, fixtureVersion: fixture.version, objects, crossLinkValues };
    state.stage = 'golden';
    await writeState(file, state);
    log(`forest ${name}: built in ${Math.round(performance.now() - started)} ms`);
    return new LabForest(name, domains, state, log);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.catch(() => undefined).then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  env(): ForestEnv {
    const domains = this.domains.map((d): ForestDomainEnv => ({
      key: d.key,
      realm: d.realm,
      netbios: d.netbios,
      nc: d.nc,
      dnsRoot: d.env.realm.toLowerCase(),
      instance: d.lab.name,
      host: d.env.host,
      url: d.env.url,
      startTlsUrl: d.env.startTlsUrl,
      gcUrl: d.env.gcUrl,
    }));
    return {
      name: this.name,
      domains,
      lingering: this.state.lingering,
      domainControllers: Object.fromEntries(domains.map((d) => [d.nc, d.url])),
      caPem: this.domains.map((d) => d.env.caPem.trim()).join('\n') + '\n',
      bindDn: this.state.adminUpn,
      bindPassword: this.state.adminPassword,
    };
  }

  /** The lab instance of one domain (`root`, `emea`): its own env(), seeded() and Administrator account. */
  lab(domainKey: string): Lab {
    const d = this.domains.find((x) => x.key === domainKey);
    if (!d) throw new Error(`forest ${this.name} has no domain ${domainKey}`);
    return d.lab;
  }

  seeded(): ForestSeedResult {
    if (!this.state.seed) throw new Error(`forest ${this.name} was never completely built`);
    return this.state.seed;
  }

  /** One seeded object by `<domain>:<key>`. */
  object(ref: string): ForestObject {
    const o = this.seeded().objects[ref];
    if (!o) throw new Error(`forest ${this.name} has no object ${ref}`);
    return o;
  }

  /** One replication pass: every domain's changes reach the replica of it on every other DC. */
  replicate(): Promise<SyncCounts> {
    return this.exclusive(() => replicateAll(this.domains));
  }

  /**
   * Replication in the background, a pass every `intervalMs` (as AD replicates within a site), until stop().
   * A failed pass is reported to `onError` and the loop goes on.
   */
  startReplication(
    options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
  ): ReplicationLoop {
    const intervalMs = options.intervalMs ?? 1000;
    let stopped = false;
    let passes = 0;
    const loop = (async () => {
      while (!stopped) {
        try {
          await this.replicate();
          passes++;
        } catch (error) {
          options.onError?.(error);
        }
        if (!stopped) await sleep(intervalMs);
      }
    })();
    return {
      get passes() {
        return passes;
      },
      async stop() {
        stopped = true;
        await loop;
      },
    };
  }

  /** Every DC back to the forest's golden copy. */
  reset(): Promise<void> {
    return this.exclusive(async () => {
      await Promise.all(this.domains.map((d) => d.lab.reset()));
    });
  }

  /** Stop every DC and remove the instances and the forest's state. */
  destroy(): Promise<void> {
    return this.exclusive(async () => {
      const { file, lock } = statePaths(this.name);
      await withLock(lock, async () => {
        for (const d of this.domains) await d.lab.destroy();
        await fs.rm(file, { force: true });
      });
      this.log(`forest ${this.name}: removed`);
    });
  }
}
