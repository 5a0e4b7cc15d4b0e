// Seeing a wave's deletions against cloud-sim over real HTTPS: which of a set of groups Graph and Exchange still
// have, and a watch that reports every deletion of the wave with one Graph delta call per poll.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existingRecipientIds } from '../src/exchange/existence.js';
import { resetRateBudgets, startSimTenant, type SimTenant } from './helpers/sim.js';

let t: SimTenant;
const GROUPS = 120;
const names = Array.from({ length: GROUPS }, (_, i) => `Wave${String(i).padStart(3, '0')}`);
const UNKNOWN = '00000000-0000-4000-8000-0000000000aa';

beforeAll(async () => {
  t = await startSimTenant('contoso');
  t.sim.seedRecipients(
    t.tenantId,
    names.map((n) => ({
      type: 'MailUniversalDistributionGroup' as const,
      name: n,
      primarySmtpAddress: `${n.toLowerCase()}@contoso.com`,
    })),
  );
});
afterAll(async () => {
  await t.sim.stop();
});
beforeEach(() => resetRateBudgets(t));

const idOf = (name: string) =>
  Object.values(t.sim.tenant(t.tenantId).recipients).find((r) => r.Name === name)
    ?.ExternalDirectoryObjectId ?? '';
const deltaCalls = () => t.sim.calls(t.tenantId).graph['GET /groups/delta'] ?? 0;

describe('which groups still exist', () => {
  it('Graph: one delta call per 50 ids; Exchange: one Get-Recipient for the lot', async () => {
    const conn = await t.connect();
    try {
      const ids = [...names.slice(0, 100).map(idOf), UNKNOWN];
      const inGraph = await conn.graph.existingGroupIds(ids);
      expect(inGraph.size).toBe(100);
      expect(inGraph.has(UNKNOWN)).toBe(false);
      expect(deltaCalls()).toBe(3);
      const inExchange = await existingRecipientIds(conn.transport, ids);
      expect([...inExchange].sort()).toEqual(ids.slice(0, 100).sort());
      expect(t.sim.calls(t.tenantId).cmdlets['Get-Recipient']).toBe(1);
    } finally {
      conn.close();
    }
  });

  it('Exchange: a list longer than one filter is asked for in calls made together, not one after another', async () => {
    const conn = await t.connect();
    try {
      const ids = [...names.slice(0, 100).map(idOf), UNKNOWN];
      const inExchange = await existingRecipientIds(conn.transport, ids, { maxTerms: 25 });
      expect([...inExchange].sort()).toEqual(ids.slice(0, 100).sort());
      expect(t.sim.calls(t.tenantId).cmdlets['Get-Recipient']).toBe(5);
      // One after another, a fresh connection would never have had two calls in flight.
      expect(conn.transport.stats().concurrency.peakInFlight).toBeGreaterThan(1);
    } finally {
      conn.close();
    }
  });
});

describe('GroupDeletionWatch', () => {
  it('reports the deletions of a whole wave with one Graph call per poll', async () => {
    const conn = await t.connect();
    try {
      const wave = names.slice(0, 60);
      const ids = wave.map(idOf);
      // One was already gone before the watch started.
      await conn.exchange.removeDistributionGroup(wave[0]!);
      const watch = await conn.graph.watchGroupDeletions(ids);
      const startCalls = deltaCalls();
      expect(startCalls).toBe(1 + 2); // the "latest" token, then existence in chunks of 50

      const first = await watch.poll();
      expect(first.deleted).toEqual([ids[0]]);
      expect(first.calls).toBe(1);
      for (const name of wave.slice(1, 31)) await conn.exchange.removeDistributionGroup(name);
      // A deletion outside the wave is not reported.
      await conn.exchange.removeDistributionGroup(names[100]!);
      const second = await watch.poll();
      expect([...second.deleted].sort()).toEqual(ids.slice(1, 31).sort());
      expect(second.remaining).toHaveLength(29);
      expect(second.calls).toBe(1);
      expect(deltaCalls()).toBe(startCalls + 2);
      const third = await watch.poll();
      expect(third.deleted).toEqual([]);
      expect(deltaCalls()).toBe(startCalls + 3);
    } finally {
      conn.close();
    }
  });

  it('starts over when the service drops its delta state (410), missing nothing', async () => {
    const conn = await t.connect();
    try {
      const ids = names.slice(70, 80).map(idOf);
      const watch = await conn.graph.watchGroupDeletions(ids);
      await conn.exchange.removeDistributionGroup(names[70]!);
      t.sim.runtime.deltaSessions.clear();
      const poll = await watch.poll();
      expect(poll.deleted).toEqual([ids[0]]);
      expect(poll.remaining).toHaveLength(9);
      await conn.exchange.removeDistributionGroup(names[71]!);
      expect((await watch.poll()).deleted).toEqual([ids[1]]);
    } finally {
      conn.close();
    }
  });
});
