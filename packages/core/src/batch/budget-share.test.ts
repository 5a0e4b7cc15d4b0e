import { RateBudget } from '@dlmigrate/exo';
import { openStateStore, type StateStore } from '@dlmigrate/state';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../util/poll.js';
import { BudgetShare } from './budget-share.js';

describe("a batch's runners share the configured ceiling (real SQLite store)", () => {
  let state: StateStore;
  let ids: string[];
  beforeAll(async () => {
    state = await openStateStore(join(mkdtempSync(join(tmpdir(), 'dlmigrate-share-')), 'state.db'));
    const { migrations } = await state.createBatch({
      id: 'wave',
      input: {},
      levels: [
        [
          { group: { address: 'a@contoso.com' }, strategy: 'recreate' },
          { group: { address: 'b@contoso.com' }, strategy: 'recreate' },
        ],
      ],
    });
    ids = migrations.map((m) => m.id);
  });
  afterAll(() => state.close());

  it('paces at ceiling / runners while others hold leases, and gives the whole ceiling back at the end', async () => {
    const rate = new RateBudget({ maxCallsPerSecond: 12 });
    const graph = new RateBudget({ maxCallsPerSecond: 6 });
    const unpaced = new RateBudget();
    const shares: Array<{ runners: number; callsPerSecond: number }> = [];
    const share = new BudgetShare({
      rates: [rate, graph, unpaced],
      state,
      batchId: 'wave',
      runnerId: 'me',
      clock: systemClock,
      onShare: (s) => shares.push(s),
    });
    await share.refresh();
    expect(rate.stats().maxCallsPerSecond).toBe(12); // alone: nothing to share, nothing said
    await state.claimMigration(ids[0]!, 'other-1', 60_000);
    await state.claimLevelSync('wave', 0, 'other-2', 60_000);
    await state.claimMigration(ids[1]!, 'me', 60_000); // this runner's own lease is not a second runner
    await share.refresh();
    expect(share.runners).toBe(3);
    expect(rate.stats().maxCallsPerSecond).toBe(4);
    expect(graph.stats().maxCallsPerSecond).toBe(2);
    expect(unpaced.stats().maxCallsPerSecond).toBeNull();
    await state.releaseLease(ids[0]!, 'other-1');
    await state.releaseLevelSync('wave', 0, 'other-2');
    await share.refresh();
    expect(rate.stats().maxCallsPerSecond).toBe(12);
    expect(shares).toEqual([
      { runners: 3, callsPerSecond: 4 },
      { runners: 1, callsPerSecond: 12 },
    ]);
    await state.claimMigration(ids[0]!, 'other-1', 60_000);
    share.start();
    await expect.poll(() => rate.stats().maxCallsPerSecond).toBe(6);
    await share.stop();
    expect(rate.stats().maxCallsPerSecond).toBe(12);
    expect(graph.stats().maxCallsPerSecond).toBe(6);
  });

  it('divides nothing where no ceiling is configured (each runner learns its rate from 429s)', async () => {
    const rate = new RateBudget();
    const share = new BudgetShare({
      rates: [rate],
      state,
      batchId: 'wave',
      runnerId: 'me',
      clock: systemClock,
    });
    share.start();
    await share.refresh();
    await share.stop();
    expect(rate.stats().maxCallsPerSecond).toBeNull();
    expect(share.runners).toBe(1);
  });
});
