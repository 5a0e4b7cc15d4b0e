import { describe, expect, it } from 'vitest';
import { backoffDelayMs, retryAfterDelayMs } from './backoff.js';

describe('back-off with jitter', () => {
  it('stays within [cap/2, cap] where the cap doubles per attempt up to the maximum', () => {
    for (const [attempt, cap] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [8, 60_000],
    ] as const) {
      expect(backoffDelayMs(attempt, 1000, 60_000, () => 0)).toBe(cap / 2);
      expect(backoffDelayMs(attempt, 1000, 60_000, () => 0.999999)).toBe(cap);
    }
  });

  it('is different for different random draws (callers throttled together come back apart)', () => {
    const draws = [0.1, 0.5, 0.9].map((r) => backoffDelayMs(3, 1000, 60_000, () => r));
    expect(new Set(draws).size).toBe(3);
  });

  it('never waits less than Retry-After, and spreads callers over at most a fifth of it (≤ 1 s)', () => {
    expect(retryAfterDelayMs(2000, () => 0)).toBe(2000);
    expect(retryAfterDelayMs(2000, () => 0.999999)).toBe(2400);
    expect(retryAfterDelayMs(30_000, () => 0.999999)).toBe(31_000);
    // A zero Retry-After still gets a small spread.
    expect(retryAfterDelayMs(0, () => 0.5)).toBe(25);
  });
});
