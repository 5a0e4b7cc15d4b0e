// Loopback address allocation, with a private registry file (DLMIGRATE_LAB_HOSTS) so the machine's
// real registry is untouched. Real labs may be running on some 127.0.0.N: allocation skips them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allocateHost, claimHost, releaseHost } from '../src/hosts.js';
import { addressAnswers } from '../src/server.js';

let dir: string;
const saved = process.env.DLMIGRATE_LAB_HOSTS;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lab-hosts-'));
  process.env.DLMIGRATE_LAB_HOSTS = path.join(dir, 'registry', 'hosts.json');
});
afterEach(() => {
  if (saved === undefined) delete process.env.DLMIGRATE_LAB_HOSTS;
  else process.env.DLMIGRATE_LAB_HOSTS = saved;
  rmSync(dir, { recursive: true, force: true });
});

const folder = (name: string) => path.join(dir, 'checkout', '.lab', name);

async function lowestQuietAddress(after: Set<string>): Promise<string> {
  for (let n = 2; n <= 254; n++) {
    const host = `127.0.0.${n}`;
    if (!after.has(host) && !(await addressAnswers(host))) return host;
  }
  throw new Error('no quiet loopback address');
}

describe('allocateHost', () => {
  it('gives each instance its own address, never 127.0.0.1 except to "default", and remembers it', async () => {
    const a = await allocateHost(folder('a'), 'a');
    const b = await allocateHost(folder('b'), 'b');
    expect(a).not.toBe(b);
    for (const host of [a, b]) expect(host).toMatch(/^127\.0\.0\.([2-9]|\d{2,3})$/);
    expect(await allocateHost(folder('a'), 'a')).toBe(a);
    // the same name in another checkout is another instance
    const other = await allocateHost(path.join(dir, 'other-checkout', '.lab', 'a'), 'a');
    expect([a, b]).not.toContain(other);
  });

  it('skips an address where something already listens on an LDAP port', async () => {
    const busy = await lowestQuietAddress(new Set());
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(636, busy, resolve));
    try {
      const got = await allocateHost(folder('c'), 'c');
      expect(got).not.toBe(busy);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('hands a released address out again, and drops orphaned entries', async () => {
    const a = await allocateHost(folder('a'), 'a');
    await releaseHost(folder('a'));
    expect(await allocateHost(folder('d'), 'd')).toBe(a);

    // an entry whose instance never got a lab.json, allocated long ago: its creator crashed
    const file = process.env.DLMIGRATE_LAB_HOSTS as string;
    const d = Number(a.split('.')[3]);
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        hosts: { [folder('ghost')]: { n: d, allocatedAt: '2020-01-01T00:00:00Z' } },
      }),
    );
    expect(await allocateHost(folder('e'), 'e')).toBe(a);
  });

  it('keeps entries of live instances, and claims the address of an existing instance', async () => {
    mkdirSync(folder('live'), { recursive: true });
    writeFileSync(path.join(folder('live'), 'lab.json'), '{}');
    const live = await allocateHost(folder('live'), 'live');
    await claimHost(folder('old'), '127.0.0.250');
    const next = await allocateHost(folder('f'), 'f');
    expect(next).not.toBe(live);
    expect(next).not.toBe('127.0.0.250');
    await expect(claimHost(folder('g'), live)).rejects.toThrow(/gives that address to/);
  });
});
