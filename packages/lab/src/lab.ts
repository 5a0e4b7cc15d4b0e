// A lab instance: one Samba AD DC on its own loopback address, with its folder under `.lab/<name>/`.
//
// Lifecycle: provisioned → (seeded) → golden copy taken. `ensure` brings an instance to that point
// from wherever it is, under a per-instance file lock, so parallel test processes can all call it.
// `reset` puts the golden copy back instead of deleting objects (seconds instead of minutes).
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { labEnv, type LabEnv } from './env.js';
import type { Fixture, SeedResult } from './fixture.js';
import { contoso } from './fixtures/contoso.js';
import { allocateHost, claimHost, releaseHost } from './hosts.js';
import { install } from './install.js';
import { withLock } from './lock.js';
import { seedOffline } from './offline.js';
import { instancePaths, labsRoot, type InstancePaths } from './paths.js';
import { runningPid, sessionPids, stopSession } from './processes.js';
import { provision, schemaFingerprint, type LabConfig } from './provision.js';
import { assertRoot, run } from './run.js';
import { connect, readAssigned, seed, seedResult } from './seed.js';
import { buildSeedPlan } from './plan.js';
import { assertPortsFree, startSamba, waitForLdaps } from './server.js';

/** How far an instance got. `provisioning`/`seeding` found at ensure time mean a crash: rebuild. */
export type LabStage = 'provisioning' | 'provisioned' | 'seeding' | 'golden';

/** What the golden copy holds: a fixture (name@version) or nothing. */
export type LabContent = { fixture: string; version: number } | null;

interface StoredConfig extends LabConfig {
  stage: LabStage;
  content?: LabContent;
  /** schemaFingerprint() at provisioning time. */
  schema?: string;
}

export interface EnsureOptions {
  name: string;
  /** Default: contoso. `null`: provision only, seed nothing. */
  fixture?: Fixture | null;
  /** Kerberos realm, default LAB.TEST (base DN DC=lab,DC=test). Only used when the instance is created. */
  realm?: string;
  /** NetBIOS domain, default LAB. Only used when the instance is created. */
  domain?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Called with how long each step that actually ran took (for benchmarks). */
  onStep?: (step: LabStep, ms: number) => void;
}

export type LabStep = 'install' | 'provision' | 'start' | 'seed' | 'snapshot';

export interface LabStatus {
  name: string;
  host: string;
  stage: LabStage;
  content: LabContent;
  running: boolean;
  /** The Samba master's pid, and every process of its session (the master included). */
  pid: number | null;
  pids: number[];
}

const DEFAULT_REALM = 'LAB.TEST';
const DEFAULT_DOMAIN = 'LAB';

function contentOf(fixture: Fixture | null): LabContent {
  return fixture ? { fixture: fixture.name, version: fixture.version } : null;
}

function describeContent(content: LabContent | undefined): string {
  return content ? `fixture ${content.fixture} v${content.version}` : 'no fixture';
}

/** Passes Samba's complexity rules (upper, lower, digit, symbol) and is random per instance. */
function newPassword(): string {
  return `Lab-${randomBytes(12).toString('base64url')}#7a`;
}

async function readConfig(paths: InstancePaths): Promise<StoredConfig | null> {
  try {
    return JSON.parse(await fs.readFile(paths.config, 'utf8')) as StoredConfig;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${paths.config}: ${(err as Error).message}`);
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}

/** Read on first use only: the seed of a 100,000-object fixture is tens of MB, and most users need just env(). */
function readSeed(paths: InstancePaths): SeedResult | null {
  try {
    return JSON.parse(readFileSync(paths.seed, 'utf8')) as SeedResult;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * The stored config if the instance can be reused as asked, the same config marked for a rebuild
 * if it is stale (fixture version or schema extension changed), or an error if it holds something
 * else than what was asked for (another realm, domain or fixture): that is never silently replaced.
 */
function reusable(
  config: StoredConfig | null,
  options: EnsureOptions,
  wanted: LabContent,
  log: (line: string) => void,
): StoredConfig | null {
  if (!config) return null;
  const name = options.name;
  if (options.realm && options.realm.toUpperCase() !== config.realm) {
    throw new Error(
      `lab ${name} has realm ${config.realm}, not ${options.realm}: destroy it first or use another name`,
    );
  }
  if (options.domain && options.domain.toUpperCase() !== config.domain) {
    throw new Error(
      `lab ${name} has domain ${config.domain}, not ${options.domain}: destroy it first or use another name`,
    );
  }
  if (config.stage === 'golden' && config.content !== undefined) {
    const held = config.content;
    if ((held === null) !== (wanted === null) || (held && wanted && held.fixture !== wanted.fixture)) {
      throw new Error(
        `lab ${name} holds ${describeContent(held)}, but ${describeContent(wanted)} was asked for: ` +
          `use another lab name, or destroy it (lab down --name ${name}) first`,
      );
    }
    if (held && wanted && held.version !== wanted.version) {
      log(`lab ${name}: fixture ${held.fixture} changed (v${held.version} → v${wanted.version}), rebuilding`);
      return { ...config, stage: 'provisioning' };
    }
  }
  if (config.stage !== 'provisioning' && config.schema !== schemaFingerprint()) {
    log(`lab ${name}: the Exchange schema extension changed since it was provisioned, rebuilding`);
    return { ...config, stage: 'provisioning' };
  }
  return config;
}

export class Lab {
  private constructor(
    private readonly paths: InstancePaths,
    private config: StoredConfig,
    private caPem: string,
    /** undefined: not read from seed.json yet. */
    private seedResult: SeedResult | null | undefined,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Make the instance `name` exist, run and hold `fixture` (default contoso), reusing whatever is
   * already there. Installs Samba if missing. Safe to call from several processes at once.
   */
  static async ensure(options: EnsureOptions): Promise<Lab> {
    const log = options.log ?? (() => undefined);
    const timed = async <T>(step: LabStep, fn: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const result = await fn();
      options.onStep?.(step, performance.now() - started);
      return result;
    };
    const fixture = options.fixture === undefined ? contoso : options.fixture;
    const paths = instancePaths(options.name);
    assertRoot(`the lab ${options.name}`);
    await timed('install', () => install(log));
    return withLock(
      paths.lock,
      async () => {
        const wanted = contentOf(fixture);
        let config = reusable(await readConfig(paths), options, wanted, log);
        if (!config || config.stage === 'provisioning' || config.stage === 'seeding') {
          const previous = config;
          config = await timed('provision', () => Lab.provisionInstance(paths, options, previous, log));
        } else {
          await claimHost(paths.root, config.host);
        }
        const lab = new Lab(paths, config, await fs.readFile(paths.caFile, 'utf8'), undefined, log);
        if ((await runningPid(paths.pidFile)) === null) await timed('start', () => lab.startUnlocked());
        else await lab.waitReady();
        if (config.stage === 'provisioned') {
          await lab.update({ stage: 'seeding' });
          if (fixture) {
            log(`lab ${options.name}: seeding fixture ${fixture.name}`);
            const result = await timed('seed', () =>
              fixture.seedMethod === 'offline' ? lab.seedOfflineUnlocked(fixture) : seed(fixture, lab.env()),
            );
            await writeJson(paths.seed, result);
            lab.seedResult = result;
            log(`lab ${options.name}: seeded ${result.stats.objects} objects in ${result.stats.ms} ms`);
          }
          await timed('snapshot', () => lab.snapshotUnlocked());
          await lab.update({ stage: 'golden', content: wanted });
        }
        return lab;
      },
      { onWait: (pid) => log(`lab ${options.name}: waiting for process ${pid}, which holds its lock`) },
    );
  }

  /** An existing instance, as it is (nothing is started or changed). Null if it was never created. */
  static async open(name: string, log: (line: string) => void = () => undefined): Promise<Lab | null> {
    const paths = instancePaths(name);
    const config = await readConfig(paths);
    if (!config) return null;
    // a provision that crashed has no CA yet; the instance can still be stopped and destroyed
    const caPem = existsSync(paths.caFile) ? await fs.readFile(paths.caFile, 'utf8') : '';
    return new Lab(paths, config, caPem, undefined, log);
  }

  /** Names of every instance that has a folder. */
  static async list(): Promise<string[]> {
    const root = labsRoot();
    if (!existsSync(root)) return [];
    const entries = await fs.readdir(root, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && existsSync(instancePaths(e.name, root).config))
      .map((e) => e.name)
      .sort();
  }

  private static async provisionInstance(
    paths: InstancePaths,
    options: EnsureOptions,
    previous: StoredConfig | null,
    log: (line: string) => void,
  ): Promise<StoredConfig> {
    if (previous) {
      // a crashed provision/seed or a stale fixture: stop what may run and start over
      const pid = await runningPid(paths.pidFile);
      if (pid !== null) await stopSession(pid);
    }
    await fs.rm(paths.root, { recursive: true, force: true });
    await fs.mkdir(paths.root, { recursive: true, mode: 0o700 });
    const config: StoredConfig = {
      name: options.name,
      host: await allocateHost(paths.root, options.name),
      realm: (previous?.realm ?? options.realm ?? DEFAULT_REALM).toUpperCase(),
      domain: (previous?.domain ?? options.domain ?? DEFAULT_DOMAIN).toUpperCase(),
      hostName: 'dc1',
      password: newPassword(),
      stage: 'provisioning',
      schema: schemaFingerprint(),
    };
    await writeJson(paths.config, config);
    log(`lab ${options.name}: provisioning ${config.realm} on ${config.host}`);
    await provision(config, paths);
    const provisioned: StoredConfig = { ...config, stage: 'provisioned' };
    await writeJson(paths.config, provisioned);
    return provisioned;
  }

  private async update(change: Partial<StoredConfig>): Promise<void> {
    this.config = { ...this.config, ...change };
    await writeJson(this.paths.config, this.config);
  }

  get name(): string {
    return this.config.name;
  }

  /** Where and how to connect. */
  env(): LabEnv {
    return labEnv(this.config, this.paths.caFile, this.caPem);
  }

  /** What the fixture seeding produced (keys → DNs, GUIDs, attributes), or null for an unseeded lab. */
  seeded(): SeedResult | null {
    if (this.seedResult === undefined) this.seedResult = readSeed(this.paths);
    return this.seedResult;
  }

  /** The instance's folder (`.lab/<name>`). */
  get folder(): string {
    return this.paths.root;
  }

  async status(): Promise<LabStatus> {
    const pid = await runningPid(this.paths.pidFile);
    return {
      name: this.config.name,
      host: this.config.host,
      stage: this.config.stage,
      content: this.config.content ?? null,
      running: pid !== null,
      pid,
      pids: pid === null ? [] : await sessionPids(pid),
    };
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return withLock(this.paths.lock, fn, {
      onWait: (pid) => this.log(`lab ${this.name}: waiting for process ${pid}, which holds its lock`),
    });
  }

  async start(): Promise<void> {
    await this.locked(() => this.startUnlocked());
  }

  async stop(): Promise<void> {
    await this.locked(() => this.stopUnlocked());
  }

  /** Resolves once an LDAPS bind with certificate verification succeeds. */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    const env = this.env();
    await waitForLdaps(
      {
        url: env.url,
        caPem: env.caPem,
        bindDn: env.bindDn,
        bindPassword: env.bindPassword,
        pidFile: this.paths.pidFile,
        logFile: this.paths.logFile,
      },
      timeoutMs,
    );
  }

  /** Take the current directory as the golden copy (stops and restarts the DC). */
  async snapshot(): Promise<void> {
    await this.locked(() => this.snapshotUnlocked());
  }

  /** Back to the golden copy: stop, copy back, start, wait until ready. */
  async reset(): Promise<void> {
    await this.locked(async () => {
      if (!existsSync(this.paths.golden))
        throw new Error(`lab ${this.name} has no golden copy to reset to (${this.paths.golden})`);
      await this.stopUnlocked();
      await fs.rm(this.paths.dc, { recursive: true, force: true });
      await run('cp', ['-a', this.paths.golden, this.paths.dc], { step: `restoring lab ${this.name}` });
      await this.startUnlocked();
    });
  }

  /** Stop the DC and remove the instance's folder and address. */
  async destroy(): Promise<void> {
    await this.locked(async () => {
      await this.stopUnlocked();
      await fs.rm(this.paths.root, { recursive: true, force: true });
      await releaseHost(this.paths.root);
    });
  }

  private async startUnlocked(): Promise<void> {
    if ((await runningPid(this.paths.pidFile)) === null) {
      assertRoot(`starting the lab ${this.name}`);
      await assertPortsFree(this.config.host);
      const pid = await startSamba(this.paths);
      this.log(`lab ${this.name}: samba started (pid ${pid}) on ${this.config.host}`);
    }
    await this.waitReady();
  }

  private async stopUnlocked(): Promise<void> {
    const pid = await runningPid(this.paths.pidFile);
    if (pid === null) return;
    await stopSession(pid);
    await fs.rm(this.paths.pidFile, { force: true });
    this.log(`lab ${this.name}: stopped (pid ${pid})`);
  }

  /** Offline seeding (offline.ts): stop the DC, import, start it again and read back what it assigned. */
  private async seedOfflineUnlocked(fixture: Fixture): Promise<SeedResult> {
    const started = performance.now();
    const env = this.env();
    const plan = buildSeedPlan(fixture, env.baseDn);
    await this.stopUnlocked();
    const stats = await seedOffline(plan, this.paths, env.baseDn, this.log);
    await this.startUnlocked();
    const mark = performance.now();
    const client = connect(env);
    try {
      await client.bind(env.bindDn, env.bindPassword);
      const assigned = await readAssigned(client, fixture, plan);
      return seedResult(fixture, env, plan, assigned, {
        objects: plan.objects.length,
        linkValues: stats.linkValues,
        ms: Math.round(performance.now() - started),
        phases: { ...stats.phases, read: Math.round(performance.now() - mark) },
      });
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  private async snapshotUnlocked(): Promise<void> {
    const wasRunning = (await runningPid(this.paths.pidFile)) !== null;
    // the tdb files must not change while they are copied
    await this.stopUnlocked();
    await fs.rm(this.paths.golden, { recursive: true, force: true });
    await run('cp', ['-a', this.paths.dc, this.paths.golden], { step: `snapshot of lab ${this.name}` });
    if (wasRunning) await this.startUnlocked();
  }
}
