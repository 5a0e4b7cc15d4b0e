import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { DEFAULT_RETRY_POLICY, retryWithinBudget, type RetryVerdict } from './retry.js';

class Throttled extends Error {
  constructor(readonly retryAfterMs?: number) {
    super('throttled');
  }
}
class Invalid extends Error {}

const verdict = (e: unknown): RetryVerdict =>
  e instanceof Throttled
    ? { retry: true, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) }
    : { retry: false };

function run(clock: ManualClock, fails: (attempt: number) => Error | undefined, budgetMs = 60_000) {
  const waits: number[] = [];
  const attempts: number[] = [];
  const promise = retryWithinBudget({
    attempt: async (n) => {
      attempts.push(n);
      const error = fails(n);
      if (error) throw error;
      return n;
    },
    verdict,
    policy: { ...DEFAULT_RETRY_POLICY, budgetMs },
    clock,
    random: () => 0.5,
    onRetry: (_e, _n, delay) => waits.push(delay),
  });
  return { promise, waits, attempts };
}

describe('retryWithinBudget', () => {
  it('keeps retrying a throttled call for as long as the time budget allows, honouring Retry-After', async () => {
    const clock = new ManualClock();
    const r = run(clock, (n) => (n <= 20 ? new Throttled(1000) : undefined));
    await clock.advance(60_000);
    await expect(r.promise).resolves.toBe(21);
    expect(r.waits).toHaveLength(20);
    expect(Math.min(...r.waits)).toBeGreaterThanOrEqual(1000);
  });

  it('gives up with the service error once the next wait would end past the budget', async () => {
    const clock = new ManualClock();
    const r = run(clock, () => new Throttled(4000), 10_000);
    const outcome = r.promise.catch((e: unknown) => e);
    await clock.advance(30_000);
    expect(await outcome).toBeInstanceOf(Throttled);
    // 4,100 ms per wait (Retry-After + jitter): two fit in 10 s, the third would not.
    expect(r.attempts).toEqual([1, 2, 3]);
  });

  it('never retries what the verdict refuses (a validation error)', async () => {
    const clock = new ManualClock();
    const r = run(clock, () => new Invalid('bad parameter'));
    await expect(r.promise).rejects.toBeInstanceOf(Invalid);
    expect(r.attempts).toEqual([1]);
  });

  it('backs off exponentially with jitter when the service names no wait', async () => {
    const clock = new ManualClock();
    const r = run(clock, (n) => (n <= 4 ? new Throttled() : undefined));
    await clock.advance(60_000);
    await r.promise;
    // random 0.5 → 3/4 of each cap: 1 s, 2 s, 4 s, 8 s caps.
    expect(r.waits).toEqual([750, 1500, 3000, 6000]);
  });

  it('the budget counts from the first failure, not from the first attempt', async () => {
    const clock = new ManualClock();
    let started = 0;
    const promise = retryWithinBudget({
      attempt: async (n) => {
        if (n === 1) {
          started = clock.now();
          // A first attempt that itself took long (queued behind others) before failing.
          await new Promise<void>((resolve) => clock.setTimer(resolve, 50_000));
        }
        if (n <= 3) throw new Throttled(1000);
        return n;
      },
      verdict,
      policy: { ...DEFAULT_RETRY_POLICY, budgetMs: 5000 },
      clock,
      random: () => 0,
    });
    await clock.advance(60_000);
    await expect(promise).resolves.toBe(4);
    expect(clock.now() - started).toBe(60_000);
  });
});
