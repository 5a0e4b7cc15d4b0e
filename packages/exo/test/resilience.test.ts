// Paging, throttling storms, injected faults and adaptive concurrency against cloud-sim.
// Retries are counted, never timed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ExoThrottledError,
  ExoTimeoutError,
  ExoTransientError,
  ExoValidationError,
} from '../src/exchange/errors.js';
import {
  bigGroupSeeds,
  mailboxSeeds,
  resetRateBudgets,
  startSimTenant,
  type SimTenant,
} from './helpers/sim.js';

const MEMBERS = 2_500;
let t: SimTenant;

beforeAll(async () => {
  t = await startSimTenant('contoso');
  t.sim.seedRecipients(t.tenantId, bigGroupSeeds('contoso', mailboxSeeds('contoso', MEMBERS)));
});
afterAll(async () => {
  await t.sim.stop();
});

function fault(
  cmdlet: string,
  count: number,
  status: number,
  exceptionType = '',
  errorId = '',
  message = 'Injected failure',
) {
  t.sim.injectFault(t.tenantId, { cmdlet, count, status, exceptionType, errorId, message });
}

function reset() {
  resetRateBudgets(t);
  t.sim.clearFaults(t.tenantId);
}

describe('paging', () => {
  it('follows @odata.nextLink over more than 1,000 members and recipients', async () => {
    reset();
    const conn = await t.connect();
    const members = await conn.exchange.getDistributionGroupMembers('big@contoso.com');
    expect(members).toHaveLength(MEMBERS);
    expect(new Set(members.map((m) => m.guid)).size).toBe(MEMBERS);
    // 2,500 members at 1,000 per page = 3 pages, each one HTTP request.
    expect(conn.transport.stats().requestsByCmdlet['Get-DistributionGroupMember']).toBe(3);
    const all = await conn.exchange.findRecipients("RecipientTypeDetails -eq 'UserMailbox'");
    expect(all).toHaveLength(MEMBERS + 1);
    expect(t.sim.calls(t.tenantId).cmdlets['Get-Recipient']).toBeGreaterThanOrEqual(3);
    conn.close();
  });
});

describe('throttling', () => {
  it('a storm against the tenant budget succeeds after backing off, honouring Retry-After', async () => {
    reset();
    t.sim.setThrottling(t.tenantId, { requestsPerWindow: 8, windowSeconds: 1, maxConcurrent: 0 });
    const conn = await t.connect({ concurrency: { initial: 8, max: 8 } });
    const names = Array.from({ length: 24 }, (_, i) => `user${String(i).padStart(5, '0')}@contoso.com`);
    const results = await Promise.all(names.map((n) => conn.exchange.getRecipient(n)));
    expect(results.every((r) => r !== null)).toBe(true);
    const stats = conn.transport.stats();
    const sim = t.sim.calls(t.tenantId);
    expect(sim.throttled).toBeGreaterThan(0);
    expect(stats.throttles).toBe(sim.throttled);
    expect(stats.retries).toBe(stats.throttles);
    // AIMD: the limit was halved at least once.
    expect(stats.concurrency.decreases).toBeGreaterThan(0);
    expect(stats.concurrency.limit).toBeLessThan(8);
    conn.close();
  });

  it('the plain-text concurrency refusal is retried like a 429', async () => {
    reset();
    t.sim.setThrottling(t.tenantId, { requestsPerWindow: 0, windowSeconds: 1, maxConcurrent: 1 });
    t.sim.setLatency('exchange', { fixedMs: 30, jitterMs: 0 });
    const conn = await t.connect({ concurrency: { initial: 4 }, retry: { baseDelayMs: 20 } });
    try {
      const results = await Promise.all(
        ['user00001', 'user00002', 'user00003', 'user00004'].map((n) =>
          conn.exchange.getRecipient(`${n}@contoso.com`),
        ),
      );
      expect(results.every((r) => r !== null)).toBe(true);
      expect(conn.transport.stats().throttles).toBeGreaterThan(0);
      expect(conn.transport.stats().concurrency.limit).toBeLessThan(4);
    } finally {
      t.sim.setLatency('exchange', { fixedMs: 0, jitterMs: 0 });
      conn.close();
    }
  });

  it('gives up with ExoThrottledError once retries are exhausted', async () => {
    reset();
    fault('Get-Recipient', 10, 429, 'Microsoft.Exchange.Net.TooManyRequestsException');
    const conn = await t.connect({ retry: { maxAttempts: 3, baseDelayMs: 10 } });
    const e = await conn.exchange.getRecipient('owner@contoso.com').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ExoThrottledError);
    expect((e as ExoThrottledError).attempts).toBe(3);
    expect(t.sim.calls(t.tenantId).cmdlets['Get-Recipient']).toBe(3);
    conn.close();
  });
});

describe('faults', () => {
  it('a 503 is retried and the call succeeds', async () => {
    reset();
    fault('Get-DistributionGroup', 2, 503, 'Microsoft.Exchange.Data.Directory.ADTransientException');
    const conn = await t.connect({ retry: { baseDelayMs: 10 } });
    const g = await conn.exchange.getDistributionGroup('big@contoso.com');
    expect(g?.name).toBe('Big');
    expect(conn.transport.stats().retries).toBe(2);
    expect(t.sim.calls(t.tenantId).cmdlets['Get-DistributionGroup']).toBe(3);
    conn.close();
  });

  it('a transient failure that never clears ends as ExoTransientError', async () => {
    reset();
    fault('Get-AcceptedDomain', 5, 503);
    const conn = await t.connect({ retry: { maxAttempts: 2, baseDelayMs: 10 } });
    await expect(conn.exchange.getAcceptedDomains()).rejects.toBeInstanceOf(ExoTransientError);
    expect(t.sim.calls(t.tenantId).cmdlets['Get-AcceptedDomain']).toBe(2);
    conn.close();
  });

  it('a validation fault is not retried', async () => {
    reset();
    fault(
      'Set-DistributionGroup',
      3,
      400,
      'Microsoft.Exchange.Data.DataValidationException',
      'Ex9A7C10',
      'MailTip: invalid.',
    );
    const conn = await t.connect({ retry: { baseDelayMs: 10 } });
    const e = await conn.exchange
      .setDistributionGroup('big@contoso.com', { MailTip: 'x' })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ExoValidationError);
    expect((e as ExoValidationError).errorId).toBe('Ex9A7C10');
    expect(t.sim.calls(t.tenantId).cmdlets['Set-DistributionGroup']).toBe(1);
    expect(conn.transport.stats().retries).toBe(0);
    conn.close();
  });

  it('a call that outlives its timeout fails; reads are re-sent, writes are not (they may have happened)', async () => {
    reset();
    t.sim.setLatency('exchange', { fixedMs: 400, jitterMs: 0 });
    const conn = await t.connect({ exchangeTimeoutMs: 100, retry: { maxAttempts: 2, baseDelayMs: 10 } });
    try {
      await expect(conn.exchange.getAcceptedDomains()).rejects.toBeInstanceOf(ExoTimeoutError);
      expect(conn.transport.stats().requestsByCmdlet['Get-AcceptedDomain']).toBe(2);
      const e = await conn.exchange
        .setDistributionGroup('big@contoso.com', { CustomAttribute5: 'x' })
        .catch((err: unknown) => err);
      expect(e).toBeInstanceOf(ExoTimeoutError);
      expect((e as Error).message).toMatch(/may or may not have run/);
      expect(conn.transport.stats().requestsByCmdlet['Set-DistributionGroup']).toBe(1);
    } finally {
      t.sim.setLatency('exchange', { fixedMs: 0, jitterMs: 0 });
      conn.close();
    }
  });
});
