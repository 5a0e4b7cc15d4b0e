import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { urgently } from './priority.js';
import { RateBudget, type RateBudgetEvent, type RatePermit } from './rate-budget.js';
import { DEFAULT_RETRY_POLICY, retryWithinBudget } from './retry.js';

/** Acquire `n` permits at once; returns the grant times (relative to now) as they come. */
function acquireMany(budget: RateBudget, clock: ManualClock, n: number) {
  const start = clock.now();
  const granted: number[] = [];
  const permits: RatePermit[] = [];
  for (let i = 0; i < n; i++)
    void budget.acquire().then((p) => {
      granted.push(p.grantedAt - start);
      permits.push(p);
    });
  return { granted, permits };
}

describe('RateBudget', () => {
  it('serves callers in the priority lane ahead of the ones already waiting, FIFO among themselves', async () => {
    const clock = new ManualClock();
    const budget = new RateBudget({ clock, maxCallsPerSecond: 1 });
    const order: string[] = [];
    const take = (name: string, urgent: boolean) => {
      const acquire = () => budget.acquire().then(() => void order.push(name));
      void (urgent ? urgently(acquire) : acquire());
    };
    take('a', false);
    take('b', false);
    take('c', false);
    take('take-over 1', true);
    take('take-over 2', true);
    await clock.advance(10_000);
    expect(order).toEqual(['a', 'take-over 1', 'take-over 2', 'b', 'c']);
  });

  it("serves a call made for a whole wave ahead of the priority lane's own callers", async () => {
    const clock = new ManualClock();
    const budget = new RateBudget({ clock, maxCallsPerSecond: 1 });
    const order: string[] = [];
    const take = (name: string, lane?: { ahead?: boolean }) => {
      const acquire = () => budget.acquire().then(() => void order.push(name));
      void (lane === undefined ? acquire() : urgently(acquire, lane));
    };
    take('a');
    take('b');
    take('take-over 1', {});
    take('read', { ahead: true });
    take('take-over 2', {});
    await clock.advance(10_000);
    expect(order).toEqual(['a', 'read', 'take-over 1', 'take-over 2', 'b']);
  });

  it('without a ceiling and before any throttle, nobody waits', async () => {
    const clock = new ManualClock();
    const budget = new RateBudget({ clock });
    const { granted } = acquireMany(budget, clock, 50);
    await clock.advance(0);
    expect(granted).toHaveLength(50);
    expect(budget.stats()).toMatchObject({ callsPerSecond: null, heldBack: 0, waitedMs: 0, granted: 50 });
  });

  it('paces callers at maxCallsPerSecond, first come first served', async () => {
    const clock = new ManualClock();
    const budget = new RateBudget({ clock, maxCallsPerSecond: 2 });
    const { granted } = acquireMany(budget, clock, 5);
    await clock.advance(0);
    expect(budget.stats()).toMatchObject({ heldBack: 4, heldBackBy: 'rate', callsPerSecond: 2 });
    await clock.advance(5000);
    expect(granted).toEqual([0, 500, 1000, 1500, 2000]);
    // 0 + 500 + 1000 + 1500 + 2000 ms of waiting in all.
    expect(budget.stats().waitedMs).toBe(5000);
  });

  it('a Retry-After pauses every caller of the tenant until it has passed, and says so', async () => {
    const clock = new ManualClock();
    const events: RateBudgetEvent[] = [];
    const budget = new RateBudget({ clock });
    budget.on((e) => events.push(e));
    const first = await budget.acquire();
    budget.onThrottle(first, 3000);
    const { granted } = acquireMany(budget, clock, 3);
    await clock.advance(100);
    expect(granted).toEqual([]);
    expect(budget.stats()).toMatchObject({ heldBack: 3, heldBackBy: 'retry-after', throttles: 1 });
    expect(budget.stats().pausedUntil).toBe(clock.now() + 2900);
    await clock.advance(10_000);
    expect(granted[0]).toBe(3000);
    expect(granted).toHaveLength(3);
    expect(events.map((e) => e.type)).toEqual(['rate-changed', 'throttled', 'held-back', 'released']);
    expect(events.find((e) => e.type === 'held-back')).toMatchObject({ by: 'retry-after' });
  });

  it('learns a rate from the first throttle (what was sent × decrease) and lowers it once per burst', async () => {
    const clock = new ManualClock();
    const budget = new RateBudget({ clock, decrease: 0.5 });
    const { permits } = acquireMany(budget, clock, 16);
    await clock.advance(0);
    for (const p of permits) budget.onThrottle(p);
    expect(budget.stats()).toMatchObject({ callsPerSecond: 8, decreases: 1, throttles: 16 });
    const next = await acquireAfter(budget, clock);
    budget.onThrottle(next);
    expect(budget.stats().callsPerSecond).toBe(4);
  });

  it('a refusal about calls in flight is counted but does not lower the rate', async () => {
    const clock = new ManualClock();
    const budget = new RateBudget({ clock, maxCallsPerSecond: 10 });
    budget.onThrottle(await budget.acquire(), undefined, false);
    expect(budget.stats()).toMatchObject({ callsPerSecond: 10, throttles: 1, decreases: 0 });
  });

  it('recovers additively while callers are held back, up to the ceiling', async () => {
    const clock = new ManualClock();
    const budget = new RateBudget({ clock, maxCallsPerSecond: 4, decrease: 0.5 });
    budget.onThrottle(await budget.acquire());
    expect(budget.stats().callsPerSecond).toBe(2);
    let done = 0;
    const worker = async () => {
      while (done < 60) {
        const p = await budget.acquire();
        done++;
        budget.onSuccess(p);
      }
    };
    void Promise.all([worker(), worker(), worker()]);
    await clock.advance(60_000);
    expect(budget.stats().callsPerSecond).toBe(4);
    expect(budget.stats().increases).toBeGreaterThan(0);
  });

  it('a new ceiling applies at once', async () => {
    const clock = new ManualClock();
    const budget = new RateBudget({ clock });
    budget.setMaxCallsPerSecond(1);
    const { granted } = acquireMany(budget, clock, 3);
    await clock.advance(5000);
    expect(granted).toEqual([0, 1000, 2000]);
    expect(() => budget.setMaxCallsPerSecond(0)).toThrow(RangeError);
  });

  it('16 callers, 300 calls, a tenant allowing 2 calls per 1 s window: all complete and the rate settles near 2/s', async () => {
    const clock = new ManualClock();
    const server = fixedWindowServer(clock, 2, 1000);
    const budget = new RateBudget({ clock });
    let completed = 0;
    let failed = 0;
    const completedAt: number[] = [];
    let next = 0;
    const caller = async () => {
      while (next < 300) {
        next++;
        await retryWithinBudget({
          attempt: async () => {
            const permit = await budget.acquire();
            const retryAfter = server.admit();
            if (retryAfter !== undefined) {
              budget.onThrottle(permit, retryAfter);
              throw Object.assign(new Error('429'), { retryAfter });
            }
            budget.onSuccess(permit);
          },
          verdict: (e) => ({ retry: true, retryAfterMs: (e as { retryAfter: number }).retryAfter }),
          policy: DEFAULT_RETRY_POLICY,
          clock,
          random: () => 0.5,
        }).then(
          () => {
            completed++;
            completedAt.push(clock.now());
          },
          () => failed++,
        );
      }
    };
    const start = clock.now();
    void Promise.all(Array.from({ length: 16 }, caller));
    await clock.advance(400_000);
    expect({ completed, failed }).toEqual({ completed: 300, failed: 0 });
    const seconds = (Math.max(...completedAt) - start) / 1000;
    const rate = 300 / seconds;
    expect(rate).toBeGreaterThan(1.2);
    expect(rate).toBeLessThanOrEqual(2);
    // The learned rate hovers around the budget, and fewer than one call in three was refused.
    expect(budget.stats().callsPerSecond).toBeGreaterThan(1);
    expect(budget.stats().callsPerSecond).toBeLessThan(3);
    expect(server.refused).toBeLessThan(100);
  });
});

async function acquireAfter(budget: RateBudget, clock: ManualClock): Promise<RatePermit> {
  let permit: RatePermit | undefined;
  void budget.acquire().then((p) => (permit = p));
  while (permit === undefined) await clock.advance(100);
  return permit;
}

/** A tenant budget like cloud-sim's: `perWindow` calls per fixed window, else 429 with Retry-After to its end. */
function fixedWindowServer(clock: ManualClock, perWindow: number, windowMs: number) {
  let windowStart = -Infinity;
  let used = 0;
  const state = {
    refused: 0,
    admit(): number | undefined {
      const now = clock.now();
      if (now - windowStart >= windowMs) {
        windowStart = now;
        used = 0;
      }
      if (used >= perWindow) {
        state.refused++;
        return Math.max(1000, Math.ceil((windowStart + windowMs - now) / 1000) * 1000);
      }
      used++;
      return undefined;
    },
  };
  return state;
}
