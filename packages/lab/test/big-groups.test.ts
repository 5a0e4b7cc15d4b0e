// The offline-seeded big-groups fixture (instance `lab-big`, small sizes to keep the suite lean; the benchmark seeds
// 100,000): every member of the biggest group comes back over LDAPS with ranged retrieval, and the attribute and
// one-level indexes, switched off while the objects went in, answer again.
import { Client } from 'ldapts';
import { beforeAll, describe, expect, it } from 'vitest';
import { bigGroupAddress, bigGroupKey, bigGroupsFixture, dnKey, Lab, type LabEnv } from '../src/index.js';

const SIZES = [1200, 3200];
let lab: Lab;
let env: LabEnv;

async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({
    url: env.url,
    timeout: 60_000,
    connectTimeout: 10_000,
    tlsOptions: { ca: [env.caPem] },
  });
  try {
    await c.bind(env.bindDn, env.bindPassword);
    return await fn(c);
  } finally {
    await c.unbind().catch(() => undefined);
  }
}

/** Every value of `member`, asked for in ranges of 1,000 the way a client must ask a real AD. */
async function rangedMembers(c: Client, dn: string): Promise<string[]> {
  const all: string[] = [];
  for (let low = 0; ;) {
    const { searchEntries } = await c.search(dn, {
      scope: 'base',
      attributes: [`member;range=${low}-${low + 999}`],
    });
    const entry = searchEntries[0]!;
    const key = Object.keys(entry).find((k) => k.toLowerCase().startsWith('member;range='))!;
    const values = entry[key] as string[];
    all.push(...values);
    if (key.endsWith('-*')) return all;
    low += values.length;
  }
}

beforeAll(async () => {
  lab = await Lab.ensure({ name: 'lab-big', fixture: bigGroupsFixture(SIZES) });
  await lab.reset();
  env = lab.env();
}, 1_800_000);

describe('big-groups fixture, seeded offline', () => {
  it('holds the biggest group with every member, ranged reads included', async () => {
    const seeded = lab.seeded()!;
    expect(seeded.fixture).toBe('big-groups-1200-3200');
    const group = seeded.objects[bigGroupKey(3200)]!;
    expect(group.mail).toBe(bigGroupAddress(3200));
    const want = group.links.member!;
    expect(new Set(want.map(dnKey)).size).toBe(3200);
    const got = await withClient((c) => rangedMembers(c, group.dn));
    expect(got.map(dnKey).sort()).toEqual(want.map(dnKey).sort());
    // the smaller group is a subset of the bigger one: the first slice of the pool
    const small = seeded.objects[bigGroupKey(1200)]!.links.member!;
    expect(small).toHaveLength(1200);
    expect(small.every((dn) => want.includes(dn))).toBe(true);
  });

  it('answers indexed searches again: by address, by class in one OU, by back link', async () => {
    const seeded = lab.seeded()!;
    const member = seeded.objects['members.2.2000']!;
    await withClient(async (c) => {
      const byMail = await c.search(env.baseDn, {
        scope: 'sub',
        filter: `(mail=${member.mail})`,
        attributes: ['cn'],
      });
      expect(byMail.searchEntries.map((e) => dnKey(e.dn))).toEqual([dnKey(member.dn)]);
      const inOu = await c.search(seeded.objects['ous.members']!.dn, {
        scope: 'one',
        filter: '(&(objectClass=contact)(msExchRecipientTypeDetails=64))',
        attributes: ['1.1'],
        paged: { pageSize: 1000 },
      });
      expect(inOu.searchEntries).toHaveLength(3200);
      const groups = await c.search(env.baseDn, {
        scope: 'sub',
        filter: `(&(objectClass=group)(member=${member.dn}))`,
        attributes: ['mail'],
      });
      expect(groups.searchEntries.map((e) => e.mail)).toEqual([bigGroupAddress(3200)]);
      const memberOf = await c.search(member.dn, { scope: 'base', attributes: ['memberOf'] });
      expect(memberOf.searchEntries[0]!.memberOf).toBe(seeded.objects[bigGroupKey(3200)]!.dn);
    });
  });
});
