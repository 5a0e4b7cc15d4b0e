import { AdError } from '@dlmigrate/ad';
import { CloudAuthError, ExoNoResultError, GraphRequestError, HttpNetworkError } from '@dlmigrate/exo';
import { describe, expect, it } from 'vitest';
import { SyncTriggerError } from '../sync/trigger-types.js';
import { systemClock } from './poll.js';
import { retryTransient, TOKEN_OUTAGE_BUDGET_MS } from './retry.js';
import { isTransient, tolerant } from './transient.js';

describe('transient errors while polling', () => {
  it('classifies network failures, throttling and server errors as transient, client errors not', () => {
    expect(isTransient(new GraphRequestError('hang up', -1, undefined, undefined))).toBe(true);
    expect(isTransient(new GraphRequestError('busy', 503, 'serviceNotAvailable', undefined))).toBe(true);
    expect(isTransient(new GraphRequestError('denied', 403, 'Authorization_RequestDenied', undefined))).toBe(
      false,
    );
    expect(isTransient(new Error('bug'))).toBe(false);
    // An answer without the object it must carry is no transient fault: the step fails as a whole.
    expect(isTransient(new ExoNoResultError('New-DistributionGroup', 'x', 'returned no object'))).toBe(false);
    expect(isTransient(Object.create(HttpNetworkError.prototype))).toBe(true);
  });

  it('the token endpoint throttling or unavailable is transient; a refused credential is not', () => {
    const auth = (code: CloudAuthError['code']) => new CloudAuthError('token', code, undefined, undefined);
    expect(isTransient(auth('AUTH_TOKEN_ENDPOINT_UNAVAILABLE'))).toBe(true);
    expect(isTransient(auth('AUTH_TOKEN_ENDPOINT_THROTTLED'))).toBe(true);
    expect(isTransient(auth('AUTH_CERTIFICATE_NOT_REGISTERED'))).toBe(false);
    expect(isTransient(auth('AUTH_FAILED'))).toBe(false);
  });

  it('answers a transient failure with the fallback and rethrows anything else', async () => {
    const flaky = tolerant(async () => {
      throw new GraphRequestError('hang up', -1, undefined, undefined);
    }, false);
    await expect(flaky()).resolves.toBe(false);
    const broken = tolerant(async () => {
      throw new GraphRequestError('denied', 403, undefined, undefined);
    }, false);
    await expect(broken()).rejects.toThrow('denied');
  });
});

describe('transient faults of every dependency', () => {
  it('the directory, the state store and the sync trigger have transient faults too; the rest are permanent', () => {
    expect(isTransient(new AdError('AD_CONNECTION_LOST', 'dropped'))).toBe(true);
    expect(isTransient(new AdError('AD_TIMEOUT', 'no answer'))).toBe(true);
    expect(isTransient(new AdError('AD_INSUFFICIENT_RIGHTS', 'LDAP 50'))).toBe(false);
    expect(isTransient(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('could not serialize'), { code: '40001' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('readonly database'), { code: 'SQLITE_READONLY' }))).toBe(
      false,
    );
    expect(isTransient(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isTransient(new SyncTriggerError('answered 503', { transient: true }))).toBe(true);
    expect(isTransient(new SyncTriggerError('answered 403'))).toBe(false);
  });
});

describe('retryTransient', () => {
  const fast = {
    budgetMs: 60_000,
    baseDelayMs: 1,
    maxDelayMs: 2,
    maxAttempts: Infinity,
    retryTimeouts: false,
  };

  it('runs the attempt again after a transient fault and returns its result', async () => {
    let calls = 0;
    const result = await retryTransient(
      async () => {
        if (++calls < 3) throw new AdError('AD_CONNECTION_LOST', 'dropped');
        return 'done';
      },
      { clock: systemClock, policy: fast },
    );
    expect([result, calls]).toEqual(['done', 3]);
  });

  it('gives a permanent fault back at once, and stops retrying once a stop is asked for', async () => {
    let calls = 0;
    await expect(
      retryTransient(
        async () => {
          calls++;
          throw new AdError('AD_INSUFFICIENT_RIGHTS', 'LDAP 50');
        },
        { clock: systemClock, policy: fast },
      ),
    ).rejects.toThrow('LDAP 50');
    expect(calls).toBe(1);

    const controller = new AbortController();
    calls = 0;
    const stopped = retryTransient(
      async () => {
        calls++;
        controller.abort('SIGINT');
        throw new AdError('AD_CONNECTION_LOST', 'dropped');
      },
      { clock: systemClock, policy: fast, signal: controller.signal },
    );
    await expect(stopped).rejects.toThrow('dropped');
    expect(calls).toBe(1);
  });

  it('gives up when the time budget is spent', async () => {
    let calls = 0;
    await expect(
      retryTransient(
        async () => {
          calls++;
          throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        },
        { clock: systemClock, policy: { ...fast, budgetMs: 0 } },
      ),
    ).rejects.toThrow('database is locked');
    expect(calls).toBe(1);
  });

  describe('the token endpoint', () => {
    // A clock whose sleeps pass at once: the budgets are minutes.
    const virtual = () => {
      let now = 0;
      return { now: () => now, sleep: async (ms: number) => void (now += ms) };
    };
    const auth = (code: CloudAuthError['code']) => new CloudAuthError('token', code, 700016, undefined);
    const tenMinutes = {
      budgetMs: 10 * 60_000,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      maxAttempts: Infinity,
      retryTimeouts: false,
    };

    it('a refusal that is not transient (an unknown app) fails at once', async () => {
      let calls = 0;
      const clock = virtual();
      await expect(
        retryTransient(
          async () => {
            calls++;
            throw auth('AUTH_APP_NOT_FOUND');
          },
          { clock, policy: tenMinutes },
        ),
      ).rejects.toMatchObject({ code: 'AUTH_APP_NOT_FOUND' });
      expect([calls, clock.now()]).toEqual([1, 0]);
    });

    it('an outage that lasts is given up after its own budget, not the whole retry budget', async () => {
      const clock = virtual();
      let calls = 0;
      await expect(
        retryTransient(
          async () => {
            calls++;
            throw auth('AUTH_TOKEN_ENDPOINT_UNAVAILABLE');
          },
          { clock, policy: tenMinutes, random: () => 0.5 },
        ),
      ).rejects.toMatchObject({ code: 'AUTH_TOKEN_ENDPOINT_UNAVAILABLE' });
      expect(calls).toBeGreaterThan(2);
      expect(clock.now()).toBeGreaterThanOrEqual(TOKEN_OUTAGE_BUDGET_MS);
      // At most one back-off (60 s at most) past it — far short of the 10-minute budget other faults get.
      expect(clock.now()).toBeLessThanOrEqual(TOKEN_OUTAGE_BUDGET_MS + tenMinutes.maxDelayMs);

      // The same run of failures from the directory is retried for the whole budget.
      const dirClock = virtual();
      await expect(
        retryTransient(
          async () => {
            throw new AdError('AD_CONNECTION_LOST', 'dropped');
          },
          { clock: dirClock, policy: tenMinutes, random: () => 0.5 },
        ),
      ).rejects.toThrow('dropped');
      expect(dirClock.now()).toBeGreaterThan(TOKEN_OUTAGE_BUDGET_MS + tenMinutes.maxDelayMs);
    });

    it('an outage that ends within its budget is ridden out', async () => {
      const clock = virtual();
      const result = await retryTransient(
        async () => {
          if (clock.now() < 90_000) throw auth('AUTH_TOKEN_ENDPOINT_UNAVAILABLE');
          return 'token';
        },
        { clock, policy: tenMinutes, random: () => 0.5 },
      );
      expect(result).toBe('token');
    });
  });
});
