import { describe, expect, it } from 'vitest';
import { urgently } from '../rate/priority.js';
import { AdaptiveLimit } from './concurrency.js';
import { ExoThrottledError, ExoTransientError, ExoValidationError } from './errors.js';
import { DEFAULT_RETRY_POLICY, exchangeRetryVerdict, isRetryable } from './retry.js';

describe('AdaptiveLimit (AIMD)', () => {
  it('halves on throttle, never below min, and grows by one after N successes, never above max', () => {
    const limit = new AdaptiveLimit({ initial: 8, min: 1, max: 10, growAfter: 3 });
    limit.onThrottle();
    expect(limit.limit).toBe(4);
    limit.onThrottle();
    limit.onThrottle();
    limit.onThrottle();
    expect(limit.limit).toBe(1);
    for (let i = 0; i < 3; i++) limit.onSuccess();
    expect(limit.limit).toBe(2);
    for (let i = 0; i < 100; i++) limit.onSuccess();
    expect(limit.limit).toBe(10);
    expect(limit.stats().decreases).toBe(3);
  });

  it('hands a freed slot to a caller in the priority lane before the ones already waiting', async () => {
    const limit = new AdaptiveLimit({ initial: 1, max: 1 });
    const first = await limit.acquire();
    const order: string[] = [];
    const take = (name: string) => limit.acquire().then((slot) => (order.push(name), slot.release()));
    void take('dispose');
    void take('rewire');
    void urgently(() => take('take-over'));
    first.release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['take-over', 'dispose', 'rewire']);
  });

  it("hands a freed slot to a call made for a whole wave before the priority lane's own, FIFO within each", async () => {
    const limit = new AdaptiveLimit({ initial: 1, max: 1 });
    const first = await limit.acquire();
    const order: string[] = [];
    const take = (name: string) => limit.acquire().then((slot) => (order.push(name), slot.release()));
    void take('dispose');
    void urgently(() => take('write 1'));
    void urgently(() => take('write 2'));
    void urgently(() => take('read 1'), { ahead: true });
    void take('rewire');
    void urgently(() => take('write 3'));
    void urgently(() => take('read 2'), { ahead: true });
    first.release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['read 1', 'read 2', 'write 1', 'write 2', 'write 3', 'dispose', 'rewire']);
  });

  it('a burst of throttles from calls sent under the same limit halves it once', async () => {
    const limit = new AdaptiveLimit({ initial: 8 });
    const slots = await Promise.all(Array.from({ length: 8 }, () => limit.acquire()));
    for (const slot of slots) {
      limit.onThrottle(slot.epoch);
      slot.release();
    }
    expect(limit.limit).toBe(4);
    // A call sent after the decrease that is throttled again halves it again.
    const later = await limit.acquire();
    limit.onThrottle(later.epoch);
    later.release();
    expect(limit.limit).toBe(2);
  });

  it('a throttle resets the success run', () => {
    const limit = new AdaptiveLimit({ initial: 2, growAfter: 3 });
    limit.onSuccess();
    limit.onSuccess();
    limit.onThrottle();
    limit.onSuccess();
    expect(limit.limit).toBe(1);
  });

  it('never lets more than the limit run at once', async () => {
    const limit = new AdaptiveLimit({ initial: 3, max: 3 });
    let running = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const tasks = Array.from({ length: 10 }, () =>
      limit.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => gates.push(r));
        running--;
      }),
    );
    while (gates.length < 3) await Promise.resolve();
    expect(limit.stats().waiting).toBe(7);
    // Release one at a time until all are done.
    let released = 0;
    while (released < 10) {
      await new Promise((r) => setImmediate(r));
      const g = gates.shift();
      if (g) {
        g();
        released++;
      }
    }
    await Promise.all(tasks);
    expect(peak).toBe(3);
    expect(limit.stats().inFlight).toBe(0);
  });
});

describe('retry policy', () => {
  const d = { cmdlet: 'X', status: 429, serverMessage: '' };
  it('retries throttling and transient failures only', () => {
    expect(isRetryable(new ExoThrottledError(d), DEFAULT_RETRY_POLICY)).toBe(true);
    expect(isRetryable(new ExoTransientError({ ...d, status: 503 }), DEFAULT_RETRY_POLICY)).toBe(true);
    expect(isRetryable(new ExoValidationError({ ...d, status: 400 }), DEFAULT_RETRY_POLICY)).toBe(false);
    expect(isRetryable(new Error('x'), DEFAULT_RETRY_POLICY)).toBe(false);
  });
  it('passes on the Retry-After the service named; never retries a validation error', () => {
    expect(
      exchangeRetryVerdict(new ExoThrottledError({ ...d, retryAfterMs: 3000 }), DEFAULT_RETRY_POLICY),
    ).toEqual({ retry: true, retryAfterMs: 3000 });
    expect(exchangeRetryVerdict(new ExoTransientError(d), DEFAULT_RETRY_POLICY)).toEqual({ retry: true });
    expect(exchangeRetryVerdict(new ExoValidationError({ ...d, status: 400 }), DEFAULT_RETRY_POLICY)).toEqual(
      {
        retry: false,
      },
    );
  });
});
