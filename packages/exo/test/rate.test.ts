// The rate-aware client against cloud-sim over real HTTPS: a tenant-wide budget in calls per second that learns the
// tenant's limit from 429s, honours Retry-After, never fails a call for being throttled, and says what it is doing.
// Graph gets the same treatment. Counts and ratios only: no assertion on wall time.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RateBudget, type RateBudgetEvent } from '../src/rate/rate-budget.js';
import { mailboxSeeds, resetRateBudgets, startSimTenant, type SimTenant } from './helpers/sim.js';

let t: SimTenant;
const USERS = mailboxSeeds('contoso', 50);
const GROUPS = Array.from({ length: 12 }, (_, i) => ({
  type: 'MailUniversalDistributionGroup' as const,
  name: `Paced${i}`,
  primarySmtpAddress: `paced${i}@contoso.com`,
}));
const idOf = (name: string) =>
  Object.values(t.sim.tenant(t.tenantId).recipients).find((r) => r.Name === name)
    ?.ExternalDirectoryObjectId ?? '';

beforeAll(async () => {
  t = await startSimTenant('contoso');
  t.sim.seedRecipients(t.tenantId, [...USERS, ...GROUPS]);
});
afterAll(async () => {
  await t.sim.stop();
});
beforeEach(() => resetRateBudgets(t));

/** `total` Get-Recipient calls shared by `callers` concurrent callers; returns how many failed. */
async function storm(conn: Awaited<ReturnType<SimTenant['connect']>>, total: number, callers: number) {
  let next = 0;
  let failed = 0;
  const caller = async () => {
    while (next < total) {
      const user = USERS[next++ % USERS.length]!;
      await conn.exchange.getRecipient(user.primarySmtpAddress).catch(() => failed++);
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  return failed;
}

describe('the tenant-wide Exchange budget', () => {
  it('300 calls from 16 callers against a tenant allowing 40 calls per second: none fails, the rate settles near the budget', async () => {
    t.sim.setThrottling(t.tenantId, { requestsPerWindow: 40, windowSeconds: 1, maxConcurrent: 0 });
    const conn = await t.connect({ concurrency: { initial: 16, max: 16 } });
    const events: RateBudgetEvent[] = [];
    conn.transport.rate.on((e) => events.push(e));
    try {
      expect(await storm(conn, 300, 16)).toBe(0);
      const stats = conn.transport.stats();
      const sim = t.sim.calls(t.tenantId);
      expect(sim.cmdlets['Get-Recipient']).toBe(300);
      expect(stats.throttles).toBe(sim.throttled);
      expect(stats.rate.throttles).toBe(sim.throttled);
      // Learned, not guessed: the rate was lowered from "unpaced" to something near the tenant's 40 calls/s …
      expect(stats.rate.callsPerSecond).not.toBeNull();
      expect(stats.rate.callsPerSecond!).toBeGreaterThan(10);
      expect(stats.rate.callsPerSecond!).toBeLessThan(80);
      // … and most calls went through at the first attempt.
      expect(sim.throttled).toBeLessThan(150);
      expect(stats.rate.waitedMs).toBeGreaterThan(0);
      expect(events.some((e) => e.type === 'throttled')).toBe(true);
      expect(events.some((e) => e.type === 'held-back')).toBe(true);
    } finally {
      conn.close();
    }
  });

  it('maxCallsPerSecond paces every caller under the ceiling: a tenant allowing twice that never throttles', async () => {
    t.sim.setThrottling(t.tenantId, { requestsPerWindow: 20, windowSeconds: 1, maxConcurrent: 0 });
    const conn = await t.connect({ maxCallsPerSecond: 10, concurrency: { initial: 16, max: 16 } });
    try {
      expect(await storm(conn, 30, 8)).toBe(0);
      const stats = conn.transport.stats();
      expect(t.sim.calls(t.tenantId).throttled).toBe(0);
      expect(stats.rate).toMatchObject({ callsPerSecond: 10, maxCallsPerSecond: 10, throttles: 0 });
      expect(stats.rate.waitedMs).toBeGreaterThan(0);
    } finally {
      conn.close();
    }
  });

  it('two connections to the same tenant draw from one budget', async () => {
    const a = await t.connect({ maxCallsPerSecond: 50 });
    const b = await t.connect();
    try {
      expect(a.transport.rate).toBe(b.transport.rate);
      expect(b.transport.stats().rate.maxCallsPerSecond).toBe(50);
      // A budget handed in explicitly is used as is.
      const own = new RateBudget({ maxCallsPerSecond: 3 });
      const c = await t.connect({ rate: { exchange: own } });
      expect(c.transport.rate).toBe(own);
      c.close();
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('Graph under throttling', () => {
  it('a throttled Graph call waits and succeeds; each 429 is retried once, by us only (no SDK retry on top)', async () => {
    t.sim.setThrottling(t.tenantId, {
      requestsPerWindow: 0,
      windowSeconds: 1,
      maxConcurrent: 0,
      graph: { requestsPerWindow: 4, windowSeconds: 1 },
    });
    const conn = await t.connect();
    try {
      const ids = GROUPS.map((g) => idOf(g.name));
      const groups = await Promise.all(ids.map((id) => conn.graph.getGroup(id)));
      expect(groups.every((g) => g !== null)).toBe(true);
      const stats = conn.graph.stats();
      const sim = t.sim.calls(t.tenantId);
      expect(sim.graphThrottled).toBeGreaterThan(0);
      expect(stats.throttles).toBe(sim.graphThrottled);
      expect(stats.retries).toBe(stats.throttles);
      expect(stats.requests).toBe(ids.length + stats.retries);
      expect(sim.graph['GET /groups/{id}']).toBe(ids.length);
      expect(stats.rate.throttles).toBe(stats.throttles);
    } finally {
      conn.close();
    }
  });

  it('gives up with the 429 as GraphRequestError once the retry budget is spent', async () => {
    t.sim.setThrottling(t.tenantId, {
      requestsPerWindow: 0,
      windowSeconds: 1,
      maxConcurrent: 0,
      graph: { requestsPerWindow: 1, windowSeconds: 60 },
    });
    const conn = await t.connect({ retry: { budgetMs: 500 } });
    try {
      expect(await conn.graph.getGroup(idOf(GROUPS[0]!.name))).not.toBeNull();
      // Retry-After ≈ 60 s is longer than the 0.5 s budget: no wait is started, the service's answer is thrown.
      await expect(conn.graph.getGroup(idOf(GROUPS[1]!.name))).rejects.toMatchObject({ status: 429 });
      expect(conn.graph.stats().retries).toBe(0);
    } finally {
      conn.close();
    }
  });
});
