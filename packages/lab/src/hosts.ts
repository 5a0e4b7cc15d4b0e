// Loopback addresses for lab instances. All of 127.0.0.0/8 reaches `lo` on Linux, so every instance
// gets its own 127.0.0.N and they can all listen on 389/636/3268/3269 at once.
//
// The registry is machine-wide (not per checkout): a CI job in a fresh clone and a developer's labs
// in another checkout run on the same machine and must not pick the same address. Entries are keyed
// by the instance's folder. An address is also skipped when something already listens on it (a
// server this registry does not know about). The instance named `default` (the demo) prefers
// 127.0.0.1; every other instance gets the lowest free N in 2..254.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { withLock } from './lock.js';
import { addressAnswers } from './server.js';

export const DEFAULT_INSTANCE = 'default';
const FIRST = 2;
const LAST = 254;
/** An entry whose folder never got a lab.json is dropped after this long (its allocator crashed). */
const ORPHAN_AFTER_MS = 30 * 60_000;

interface HostEntry {
  n: number;
  allocatedAt: string;
}

interface HostsFile {
  version: 1;
  /** instance folder → address */
  hosts: Record<string, HostEntry>;
}

/** `$DLMIGRATE_LAB_HOSTS` or /var/lib/dlmigrate-lab/hosts.json. */
function hostsRegistryFile(): string {
  return process.env.DLMIGRATE_LAB_HOSTS ?? '/var/lib/dlmigrate-lab/hosts.json';
}

async function readHosts(file: string): Promise<HostsFile> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as HostsFile;
    if (parsed.version === 1 && typeof parsed.hosts === 'object') return parsed;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { version: 1, hosts: {} };
}

async function writeHosts(file: string, hosts: HostsFile): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(hosts, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}

/** Entries of instances that were removed by hand (folder gone) or whose creation crashed. */
function dropOrphans(hosts: HostsFile, now: number): void {
  for (const [folder, entry] of Object.entries(hosts.hosts)) {
    const configured = existsSync(path.join(folder, 'lab.json'));
    if (!configured && now - Date.parse(entry.allocatedAt) > ORPHAN_AFTER_MS) delete hosts.hosts[folder];
  }
}

/** The loopback address of the instance in `folder`, allocating one if it has none yet. */
export async function allocateHost(folder: string, name: string): Promise<string> {
  const file = hostsRegistryFile();
  return withLock(`${file}.lock`, async () => {
    const hosts = await readHosts(file);
    const existing = hosts.hosts[folder];
    if (existing !== undefined) return `127.0.0.${existing.n}`;
    dropOrphans(hosts, Date.now());
    const taken = new Set(Object.values(hosts.hosts).map((e) => e.n));
    const candidates = name === DEFAULT_INSTANCE ? [1] : [];
    for (let n = FIRST; n <= LAST; n++) candidates.push(n);
    for (const n of candidates) {
      if (taken.has(n) || (await addressAnswers(`127.0.0.${n}`))) continue;
      hosts.hosts[folder] = { n, allocatedAt: new Date().toISOString() };
      await writeHosts(file, hosts);
      return `127.0.0.${n}`;
    }
    throw new Error(
      `no free loopback address for lab ${name}: 127.0.0.${FIRST}-${LAST} are all allocated (${file}) or in use`,
    );
  });
}

export async function releaseHost(folder: string): Promise<void> {
  const file = hostsRegistryFile();
  await withLock(`${file}.lock`, async () => {
    const hosts = await readHosts(file);
    if (!(folder in hosts.hosts)) return;
    delete hosts.hosts[folder];
    await writeHosts(file, hosts);
  });
}

/**
 * Record the address of an existing instance (its folder predates the registry, or the registry
 * was removed), so no new instance is handed the same address.
 */
export async function claimHost(folder: string, host: string): Promise<void> {
  const n = Number(host.split('.')[3]);
  const file = hostsRegistryFile();
  await withLock(`${file}.lock`, async () => {
    const hosts = await readHosts(file);
    if (hosts.hosts[folder]?.n === n) return;
    const holder = Object.entries(hosts.hosts).find(([other, entry]) => entry.n === n && other !== folder);
    if (holder)
      throw new Error(`lab in ${folder} uses ${host}, but ${file} gives that address to ${holder[0]}`);
    hosts.hosts[folder] = { n, allocatedAt: new Date().toISOString() };
    await writeHosts(file, hosts);
  });
}
