// Throttling contract: a per-tenant budget per service (Exchange's InvokeCommand and Microsoft Graph, each its own),
// 429 with Retry-After in the documented shapes, and Exchange's plain-text concurrency refusal.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudSim } from '../src/index.js';
import { request, setupTenant, type TestTenant } from './helpers.js';

let sim: CloudSim;
let t: TestTenant;
let groupId: string;

beforeAll(async () => {
  sim = await CloudSim.start();
  t = await setupTenant(sim);
  sim.seedRecipients(t.tenantId, [
    {
      type: 'MailUniversalDistributionGroup',
      name: 'Marketing',
      primarySmtpAddress: 'marketing@contoso.com',
    },
  ]);
  groupId = Object.values(sim.tenant(t.tenantId).recipients)[0]!.ExternalDirectoryObjectId;
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.setThrottling(t.tenantId, { requestsPerWindow: 0, windowSeconds: 1, maxConcurrent: 0 });
  sim.resetCalls(t.tenantId);
});

describe('Exchange Online budget', () => {
  it('refused calls do not use the budget, and Retry-After is the whole seconds left in the window', async () => {
    sim.setThrottling(t.tenantId, { requestsPerWindow: 2, windowSeconds: 30, maxConcurrent: 0 });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await t.invoke('Get-AcceptedDomain'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429, 429, 429]);
    for (const refused of answers.slice(2)) {
      const seconds = Number(refused.headers['retry-after']);
      expect(Number.isInteger(seconds)).toBe(true);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(30);
      expect(refused.json.error.code).toBe('TooManyRequests');
    }
    const calls = sim.calls(t.tenantId);
    expect(calls.throttled).toBe(3);
    // Only admitted calls reach the cmdlet.
    expect(calls.cmdlets).toEqual({ 'Get-AcceptedDomain': 2 });
  });

  it('does not throttle Graph (each service has its own budget)', async () => {
    sim.setThrottling(t.tenantId, { requestsPerWindow: 1, windowSeconds: 30, maxConcurrent: 0 });
    expect((await t.invoke('Get-AcceptedDomain')).status).toBe(200);
    expect((await t.invoke('Get-AcceptedDomain')).status).toBe(429);
    for (let i = 0; i < 3; i++) expect((await t.graph('GET', `/v1.0/groups/${groupId}`)).status).toBe(200);
    expect(sim.calls(t.tenantId).graphThrottled).toBe(0);
  });
});

describe('Microsoft Graph budget', () => {
  it('answers 429 with Retry-After and the documented error body once the Graph budget is used', async () => {
    sim.setThrottling(t.tenantId, {
      requestsPerWindow: 0,
      windowSeconds: 1,
      maxConcurrent: 0,
      graph: { requestsPerWindow: 2, windowSeconds: 30 },
    });
    expect((await t.graph('GET', `/v1.0/groups/${groupId}`)).status).toBe(200);
    expect((await t.graph('GET', '/v1.0/groups/delta?$deltatoken=latest')).status).toBe(200);
    const refused = await t.graph('GET', `/v1.0/groups/${groupId}`);
    expect(refused.status).toBe(429);
    const seconds = Number(refused.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(30);
    // Microsoft Graph throttling guidance (concepts/throttling.md): code TooManyRequests, innerError code/status 429.
    expect(refused.json.error).toMatchObject({
      code: 'TooManyRequests',
      message: 'Please retry again later.',
      innerError: { code: '429', status: '429', message: 'Please retry after' },
    });
    expect(refused.json.error.innerError['request-id']).toBeTruthy();
    const calls = sim.calls(t.tenantId);
    expect(calls.graphThrottled).toBe(1);
    expect(calls.throttled).toBe(0);
    // Exchange is not throttled by Graph's budget.
    expect((await t.invoke('Get-AcceptedDomain')).status).toBe(200);
  });

  it('is set over the control plane too, and bad values are refused', async () => {
    const put = (body: unknown) =>
      request(sim, 'PUT', `${sim.url}/_sim/tenants/${t.tenantId}/throttling`, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put({ graph: { requestsPerWindow: 1, windowSeconds: 60 } })).status).toBe(200);
    expect((await t.graph('GET', `/v1.0/groups/${groupId}`)).status).toBe(200);
    expect((await t.graph('GET', `/v1.0/groups/${groupId}`)).status).toBe(429);
    expect((await put({ graph: { requestsPerWindow: -1 } })).status).toBe(400);
    expect((await put({})).status).toBe(200);
    expect((await t.graph('GET', `/v1.0/groups/${groupId}`)).status).toBe(200);
  });
});
