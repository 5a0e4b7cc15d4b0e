// Loopback addresses for lab instances. All of 127.0.0.0/8 reaches `lo` on Linux, so every instance
// gets its own 127.0.0.N and they can all listen on 389/636/3268/3269 at once. The instance named
// `default` (the demo) gets 127.0.0.1; every other name gets the lowest free N in 2..254, kept in
// `.lab/hosts.json` until the instance is destroyed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { withLock } from './lock.js';

export const DEFAULT_INSTANCE = 'default';
const FIRST = 2;
const LAST = 254;

interface HostsFile {
  version: 1;
  hosts: Record<string, number>;
}

function files(root: string) {
  return { file: path.join(root, 'hosts.json'), lock: path.join(root, 'hosts.lock') };
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
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(hosts, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}

/** The loopback address of `name`, allocating one if it has none yet. */
export async function allocateHost(root: string, name: string): Promise<string> {
  if (name === DEFAULT_INSTANCE) return '127.0.0.1';
  const { file, lock } = files(root);
  return withLock(lock, async () => {
    const hosts = await readHosts(file);
    const existing = hosts.hosts[name];
    if (existing !== undefined) return `127.0.0.${existing}`;
    const taken = new Set(Object.values(hosts.hosts));
    for (let n = FIRST; n <= LAST; n++) {
      if (!taken.has(n)) {
        hosts.hosts[name] = n;
        await writeHosts(file, hosts);
        return `127.0.0.${n}`;
      }
    }
    throw new Error(`no free loopback address for lab ${name}: all of 127.0.0.${FIRST}-${LAST} are allocated in ${file}`);
  });
}

export async function releaseHost(root: string, name: string): Promise<void> {
  if (name === DEFAULT_INSTANCE) return;
  const { file, lock } = files(root);
  await withLock(lock, async () => {
    const hosts = await readHosts(file);
    if (!(name in hosts.hosts)) return;
    delete hosts.hosts[name];
    await writeHosts(file, hosts);
  });
}
