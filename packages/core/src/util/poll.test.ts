import { describe, expect, it } from 'vitest';
import { pollUntil, retry, type Clock } from './poll.js';

/** A clock that only moves when the code under test sleeps. */
function manualClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

describe('pollUntil', () => {
  it('backs off exponentially up to the cap and stops once satisfied', async () => {
    const clock = manualClock();
    let n = 0;
    const result = await pollUntil(
      async () => ++n,
      (v) => v === 5,
      { deadlineMs: 60_000, initialDelayMs: 1_000, maxDelayMs: 4_000, clock },
    );
    expect(result).toEqual({ value: 5, satisfied: true, attempts: 5 });
    expect(clock.slept).toEqual([1_000, 2_000, 4_000, 4_000]);
  });

  it('gives up at the deadline, checking one last time at it', async () => {
    const clock = manualClock();
    const result = await pollUntil(
      async () => 'present',
      () => false,
      { deadlineMs: 10_000, initialDelayMs: 3_000, clock },
    );
    expect(result.satisfied).toBe(false);
    expect(clock.slept).toEqual([3_000, 6_000, 1_000]);
    expect(result.attempts).toBe(4);
  });
});

describe('retry', () => {
  it('retries until success, and rethrows after the last attempt or a non-retryable error', async () => {
    const clock = manualClock();
    let calls = 0;
    await expect(
      retry(async () => (++calls < 3 ? Promise.reject(new Error('busy')) : 'ok'), 5, 5_000, clock),
    ).resolves.toBe('ok');
    expect(clock.slept).toEqual([5_000, 5_000]);
    await expect(retry(async () => Promise.reject(new Error('down')), 2, 1, clock)).rejects.toThrow('down');
    let tries = 0;
    await expect(
      retry(
        async () => {
          tries++;
          throw new Error('fatal');
        },
        5,
        1,
        clock,
        () => false,
      ),
    ).rejects.toThrow('fatal');
    expect(tries).toBe(1);
  });
});
