import type { DistributionGroupRecord, ExchangeOnline } from '@dlmigrate/exo';
import { describe, expect, it } from 'vitest';
import { GatheredGroupReads } from './gathered-group-reads.js';

const dl = (id: string) =>
  ({ externalDirectoryObjectId: id, guid: `guid-${id}`, name: id }) as unknown as DistributionGroupRecord;
/** A DL whose Name differs from its ExternalDirectoryObjectId. */
const named = (name: string) =>
  ({
    externalDirectoryObjectId: `id-${name}`,
    guid: `guid-${name}`,
    name,
  }) as unknown as DistributionGroupRecord;

/** An Exchange Online that knows `known` (by ExternalDirectoryObjectId) and records the calls made to it. */
function fakeExchange(known: readonly string[], byIdentityOnly: readonly string[] = []) {
  const filters: string[] = [];
  const identities: string[] = [];
  let release: () => void = () => {};
  let held: Promise<void> | undefined;
  const exchange = {
    async findDistributionGroups(filter: string) {
      filters.push(filter);
      if (held !== undefined) await held;
      if (filter.includes('fail')) throw new Error('service unavailable');
      return known.filter((id) => filter.includes(`'${id}'`)).map(dl);
    },
    async getDistributionGroup(identity: string) {
      identities.push(identity);
      return byIdentityOnly.includes(identity) ? dl(identity) : null;
    },
  } as unknown as ExchangeOnline;
  return {
    exchange,
    filters,
    identities,
    /** Holds every filter read until the returned function is called. */
    hold: () => {
      held = new Promise((resolve) => (release = resolve));
      return () => release();
    },
  };
}

describe('GatheredGroupReads', () => {
  it('answers the checks asked together with one filtered read, each with its own group', async () => {
    const ex = fakeExchange(['a', 'b', 'c']);
    const reads = new GatheredGroupReads(ex.exchange);
    const answers = await Promise.all(['a', 'b', 'c', 'A'].map((id) => reads.get(id)));
    expect(answers.map((g) => g?.name)).toEqual(['a', 'b', 'c', 'a']);
    expect(ex.filters).toHaveLength(1);
    expect(ex.filters[0]).toContain('ExternalDirectoryObjectId');
    expect(ex.identities).toEqual([]);
  });

  it('reads an identity the filter did not return by -Identity, as a check of its own would', async () => {
    const ex = fakeExchange(['a'], ['guid-only']);
    const reads = new GatheredGroupReads(ex.exchange);
    const [a, byGuid, none] = await Promise.all([reads.get('a'), reads.get('guid-only'), reads.get('gone')]);
    expect(a?.name).toBe('a');
    expect(byGuid?.name).toBe('guid-only');
    expect(none).toBeNull();
    expect(ex.identities.sort()).toEqual(['gone', 'guid-only']);
  });

  it('gathers the checks asked while a read is out into the next read', async () => {
    const ex = fakeExchange(['a', 'b', 'c']);
    const reads = new GatheredGroupReads(ex.exchange);
    const release = ex.hold();
    const first = reads.get('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(ex.filters).toHaveLength(1);
    const later = [reads.get('b'), reads.get('c')];
    release();
    expect((await first)?.name).toBe('a');
    expect((await Promise.all(later)).map((g) => g?.name)).toEqual(['b', 'c']);
    expect(ex.filters).toHaveLength(2);
    expect(ex.filters[1]).toContain("'b'");
    expect(ex.filters[1]).toContain("'c'");
  });

  it('fails every check of a read that failed, and answers the next ones', async () => {
    const ex = fakeExchange(['a']);
    const reads = new GatheredGroupReads(ex.exchange);
    const failed = await Promise.allSettled([reads.get('fail'), reads.get('a')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((await reads.get('a'))?.name).toBe('a');
  });

  it('by Name: the DLs asked together in one Name filter, and one the filter did not return is none (no -Identity read)', async () => {
    const filters: string[] = [];
    const identities: string[] = [];
    const exchange = {
      async findDistributionGroups(filter: string) {
        filters.push(filter);
        return ['dlmigrate-staging-a', 'dlmigrate-staging-b']
          .filter((n) => filter.includes(`'${n}'`))
          .map(named);
      },
      async getDistributionGroup(identity: string) {
        identities.push(identity);
        return named(identity);
      },
    } as unknown as ExchangeOnline;
    const reads = new GatheredGroupReads(exchange, { by: 'Name', urgent: false });
    const answers = await Promise.all(
      ['dlmigrate-staging-a', 'DLMIGRATE-STAGING-B', 'dlmigrate-staging-c'].map((n) => reads.get(n)),
    );
    expect(answers.map((g) => g?.externalDirectoryObjectId ?? null)).toEqual([
      'id-dlmigrate-staging-a',
      'id-dlmigrate-staging-b',
      null,
    ]);
    expect(filters).toHaveLength(1);
    expect(filters[0]).toContain('(Name -eq ');
    expect(identities).toEqual([]);
  });
});
