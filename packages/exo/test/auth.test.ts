// Real msal-node certificate auth against cloud-sim's token endpoint over HTTPS, and the mistakes
// admins make, each surfacing as a clear, typed error.
import { rm } from 'node:fs/promises';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudAuthError } from '../src/auth/auth-error.js';
import { certificateFromPem } from '../src/auth/certificate.js';
import { CloudConnection } from '../src/connection.js';
import { ExoMissingManageAsAppError, ExoPermissionDeniedError } from '../src/exchange/errors.js';
import { makeCertificate, writeCertificateFiles } from './helpers/certs.js';
import { startSimTenant, type SimTenant } from './helpers/sim.js';

let t: SimTenant;

beforeAll(async () => {
  t = await startSimTenant('contoso');
});
afterAll(async () => {
  await t.sim.stop();
});

async function authError(p: Promise<unknown>): Promise<CloudAuthError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CloudAuthError);
  return e as CloudAuthError;
}

describe('certificate app-only auth', () => {
  it('PEM files and PFX file both authenticate', async () => {
    const files = await writeCertificateFiles(t.cert, 'pfx-pass');
    try {
      for (const certificate of [
        { kind: 'pem' as const, certificatePath: files.certificatePath, keyPath: files.keyPath },
        { kind: 'pfx' as const, pfxPath: files.pfxPath, passphrase: 'pfx-pass' },
      ]) {
        const conn = await CloudConnection.open({
          cloud: t.cloud,
          tenantId: t.tenantId,
          clientId: t.clientId,
          certificate,
        });
        const domains = await conn.exchange.getAcceptedDomains();
        expect(domains.map((d) => d.domainName)).toContain('contoso.com');
        conn.close();
      }
    } finally {
      await rm(files.dir, { recursive: true, force: true });
    }
  });

  it('SHA-1 thumbprint (x5t) works too', async () => {
    const conn = await t.connect({ thumbprintAlgorithm: 'sha1' });
    expect((await conn.exchange.getAcceptedDomains()).map((d) => d.domainName)).toContain('contoso.com');
    conn.close();
  });

  it('reuses the cached token: the token endpoint is not called per request', async () => {
    const conn = await t.connect();
    t.sim.resetCalls(t.tenantId);
    for (let i = 0; i < 5; i++) await conn.exchange.getAcceptedDomains();
    await conn.graph.getGroup('00000000-0000-0000-0000-000000000000');
    await conn.graph.getGroup('00000000-0000-0000-0000-000000000001');
    const calls = t.sim.calls(t.tenantId);
    expect(calls.cmdlets['Get-AcceptedDomain']).toBe(5);
    // One token for Exchange, one for Graph — not seven.
    expect(calls.tokens).toBe(2);
    expect(conn.tokens.tokenEndpointRequests).toBe(2);
    // Every InvokeCommand call carried the app-only anchor mailbox.
    expect(calls.withoutAnchorMailbox).toBe(0);
    conn.close();
  });

  it('hands out the token it holds without asking MSAL again, until MSAL would renew it', async () => {
    const conn = await t.connect();
    const asked = vi.spyOn(ConfidentialClientApplication.prototype, 'acquireTokenByClientCredential');
    try {
      for (let i = 0; i < 5; i++) await conn.exchange.getAcceptedDomains();
      expect(asked).toHaveBeenCalledTimes(1);
      // 56 minutes on, the hour's token (3,599 s) is within MSAL's five-minute renewal offset: asked for, and renewed.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 56 * 60_000 });
      await conn.exchange.getAcceptedDomains();
      await conn.exchange.getAcceptedDomains();
      expect(asked).toHaveBeenCalledTimes(2);
      expect(conn.tokens.tokenEndpointRequests).toBe(2);
    } finally {
      vi.useRealTimers();
      asked.mockRestore();
      conn.close();
    }
  });

  it('concurrent callers share one token request per resource', async () => {
    const conn = await t.connect();
    t.sim.resetCalls(t.tenantId);
    // A batch starts hundreds of migrations at once; their first calls must not each fetch a token.
    await Promise.all(Array.from({ length: 25 }, () => conn.exchange.getAcceptedDomains()));
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        conn.graph.getGroup(`00000000-0000-0000-0000-${String(i).padStart(12, '0')}`),
      ),
    );
    expect(t.sim.calls(t.tenantId).tokens).toBe(2);
    expect(conn.tokens.tokenEndpointRequests).toBe(2);
    conn.close();
  });

  it('wrong tenant → wrong-tenant', async () => {
    const conn = await CloudConnection.open({
      cloud: t.cloud,
      tenantId: '0badbad0-0000-4000-8000-000000000000',
      clientId: t.clientId,
      certificate: t.certificate,
    });
    const e = await authError(conn.exchange.getAcceptedDomains());
    expect(e.code).toBe('AUTH_WRONG_TENANT');
    expect(e.aadsts).toBe(90002);
    expect(e.message).toMatch(/was not found/);
    conn.close();
  });

  it('unknown app → app-not-found', async () => {
    const conn = await t.connect({ clientId: '12345678-1234-4234-8234-123456789012' });
    const e = await authError(conn.exchange.getAcceptedDomains());
    expect(e.code).toBe('AUTH_APP_NOT_FOUND');
    expect(e.message).toContain('12345678-1234-4234-8234-123456789012');
    conn.close();
  });

  it('unknown app on a Graph call → app-not-found itself, not a Graph failure without a status', async () => {
    // The Graph SDK wraps whatever its token provider throws into a GraphError of status -1 — which reads as "no
    // answer" (a transient network failure, retried for the whole budget by the engine, core util/transient.ts).
    const conn = await t.connect({ clientId: '12345678-1234-4234-8234-123456789012' });
    const e = await authError(conn.graph.getGroup('00000000-0000-4000-8000-000000000001'));
    expect(e.code).toBe('AUTH_APP_NOT_FOUND');
    expect(e.aadsts).toBe(700016);
    conn.close();
  });

  it('certificate not registered on the app → certificate-not-registered, thumbprint named', async () => {
    const other = makeCertificate({ cn: 'not-registered' });
    const certificate = certificateFromPem(other.certPem, other.keyPem);
    const conn = await t.connect({ certificate });
    const e = await authError(conn.exchange.getAcceptedDomains());
    expect(e.code).toBe('AUTH_CERTIFICATE_NOT_REGISTERED');
    expect(e.aadsts).toBe(700027);
    expect(e.message).toContain(certificate.thumbprintSha256);
    conn.close();
  });

  it('expired certificate → certificate-expired, without calling the token endpoint', async () => {
    const expired = makeCertificate({
      cn: 'expired',
      notBefore: new Date(Date.now() - 400 * 86400_000),
      notAfter: new Date(Date.now() - 86400_000),
    });
    const app = t.sim.registerApp(t.tenantId, { certificates: [expired.certPem] });
    const conn = await t.connect({
      clientId: app.clientId,
      certificate: certificateFromPem(expired.certPem, expired.keyPem),
    });
    t.sim.resetCalls(t.tenantId);
    const e = await authError(conn.exchange.getAcceptedDomains());
    expect(e.code).toBe('AUTH_CERTIFICATE_EXPIRED');
    expect(e.message).toMatch(/expired on/);
    expect(t.sim.calls(t.tenantId).tokens).toBe(0);
    conn.close();
  });

  it('app without admin consent → not-consented', async () => {
    const app = t.sim.registerApp(t.tenantId, { certificates: [t.cert.certPem], consented: false });
    const conn = await t.connect({ clientId: app.clientId });
    const e = await authError(conn.exchange.getAcceptedDomains());
    expect(e.code).toBe('AUTH_NOT_CONSENTED');
    conn.close();
  });

  it('no Exchange.ManageAsApp permission → ExoMissingManageAsAppError, not retried', async () => {
    const app = t.sim.registerApp(t.tenantId, {
      certificates: [t.cert.certPem],
      roles: { 'https://outlook.office365.com': [], 'https://graph.microsoft.com': ['Group.Read.All'] },
    });
    const conn = await t.connect({ clientId: app.clientId });
    t.sim.resetCalls(t.tenantId);
    const e = await conn.exchange.getAcceptedDomains().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ExoMissingManageAsAppError);
    expect((e as Error).message).toMatch(/Exchange\.ManageAsApp/);
    expect(conn.transport.stats().retries).toBe(0);
    conn.close();
  });

  it('no Exchange directory role → ExoPermissionDeniedError naming the roles to assign', async () => {
    const app = t.sim.registerApp(t.tenantId, { certificates: [t.cert.certPem], directoryRoles: [] });
    const conn = await t.connect({ clientId: app.clientId });
    const e = await conn.exchange.getAcceptedDomains().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ExoPermissionDeniedError);
    expect((e as ExoPermissionDeniedError).status).toBe(403);
    expect((e as Error).message).toMatch(/Exchange Recipient Administrator/);
    conn.close();
  });

  it('a read-only role calling a write cmdlet → ExoPermissionDeniedError', async () => {
    const app = t.sim.registerApp(t.tenantId, {
      certificates: [t.cert.certPem],
      directoryRoles: ['Global Reader'],
    });
    const conn = await t.connect({ clientId: app.clientId });
    expect(await conn.exchange.getAcceptedDomains()).not.toHaveLength(0);
    const e = await conn.exchange.newDistributionGroup({ name: 'Nope' }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ExoPermissionDeniedError);
    expect((e as ExoPermissionDeniedError).exceptionType).toMatch(/CommandNotFoundException/);
    conn.close();
  });

  it('token endpoint throttling: a clear error, no retry loop, and MSAL does not call again before Retry-After', async () => {
    const app = t.sim.registerApp(t.tenantId, { certificates: [t.cert.certPem] });
    const conn = await t.connect({ clientId: app.clientId });
    t.sim.resetCalls(t.tenantId);
    t.sim.injectTokenFault(t.tenantId, { count: 1, status: 429, retryAfterSeconds: 120 });
    const first = await authError(conn.exchange.getAcceptedDomains());
    expect(first.code).toBe('AUTH_TOKEN_ENDPOINT_THROTTLED');
    // The fault is used up, but MSAL remembers the 429 and refuses locally until Retry-After passes.
    const second = await authError(conn.exchange.getAcceptedDomains());
    expect(second.code).toBe('AUTH_TOKEN_ENDPOINT_THROTTLED');
    // Counted where the requests leave the process (the sim counts issued tokens only).
    expect(conn.tokens.tokenEndpointRequests).toBe(1);
    expect(t.sim.calls(t.tenantId).cmdlets['Get-AcceptedDomain'] ?? 0).toBe(0);
    expect(conn.transport.stats().retries).toBe(0);
    conn.close();
  });

  it("token endpoint outage (5xx): token-endpoint-unavailable, at most MSAL's own single retry", async () => {
    const app = t.sim.registerApp(t.tenantId, { certificates: [t.cert.certPem] });
    const conn = await t.connect({ clientId: app.clientId });
    t.sim.resetCalls(t.tenantId);
    t.sim.injectTokenFault(t.tenantId, { count: 5, status: 503 });
    const e = await authError(conn.exchange.getAcceptedDomains());
    expect(e.code).toBe('AUTH_TOKEN_ENDPOINT_UNAVAILABLE');
    expect(conn.tokens.tokenEndpointRequests).toBeLessThanOrEqual(2);
    expect(conn.tokens.tokenEndpointRequests).toBeGreaterThanOrEqual(1);
    t.sim.clearFaults(t.tenantId);
    conn.close();
  });
});
