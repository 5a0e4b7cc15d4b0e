// Token endpoint contract: a real msal-node ConfidentialClientApplication with a certificate gets a
// token; every documented refusal answers with the AADSTS code Entra uses.
import { ConfidentialClientApplication, type INetworkModule, type NetworkResponse } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudSim, generateClientCertificate } from '../src/index.js';
import { decodeJwt } from '../src/auth/jwt.js';
import { appCertificate, clientAssertion, request, requestToken, tokenForm } from './helpers.js';

let sim: CloudSim;
let tenantId: string;
let otherTenantId: string;
let clientId: string;
let tokenUrl: string;
const exoScope = 'https://outlook.office365.com/.default';

/** msal-node's network module, over node:https trusting the simulator's CA. */
function networkClient(): INetworkModule {
  const send = async <T>(
    method: string,
    url: string,
    options?: { headers?: Record<string, string>; body?: string },
  ) => {
    const res = await request(sim, method, url, { headers: options?.headers, body: options?.body });
    const headers = Object.fromEntries(
      Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
    );
    return { headers, body: res.json as T, status: res.status } satisfies NetworkResponse<T>;
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

function msalApp(
  options: {
    tenant?: string;
    clientId?: string;
    certKey?: string;
    thumbprint?: 'sha1' | 'sha256';
    cert?: ReturnType<typeof appCertificate>;
  } = {},
) {
  const cert = options.cert ?? appCertificate();
  const tenant = options.tenant ?? tenantId;
  return new ConfidentialClientApplication({
    auth: {
      clientId: options.clientId ?? clientId,
      authority: `https://login.sim.test/${tenant}`,
      knownAuthorities: ['login.sim.test'],
      authorityMetadata: JSON.stringify(sim.authorityMetadata(tenant)),
      clientCertificate:
        options.thumbprint === 'sha1'
          ? { thumbprint: cert.thumbprintSha1, privateKey: options.certKey ?? cert.keyPem }
          : { thumbprintSha256: cert.thumbprintSha256, privateKey: options.certKey ?? cert.keyPem },
    },
    system: { networkClient: networkClient() },
  });
}

async function aadFailure(
  assertion: string,
  opts: { tenant?: string; clientId?: string; scope?: string } = {},
) {
  const res = await requestToken(
    sim,
    opts.tenant ?? tenantId,
    opts.clientId ?? clientId,
    assertion,
    opts.scope ?? exoScope,
  );
  return {
    status: res.status,
    error: res.json.error as string,
    code: res.json.error_codes?.[0] as number,
    body: res.json,
  };
}

beforeAll(async () => {
  sim = await CloudSim.start();
  const tenant = sim.createTenant({ name: 'contoso', domains: ['contoso.com'] });
  tenantId = tenant.id;
  otherTenantId = sim.createTenant({ name: 'fabrikam' }).id;
  clientId = sim.registerApp(tenantId, { certificates: [appCertificate().certPem] }).clientId;
  tokenUrl = `${sim.url}/${tenantId}/oauth2/v2.0/token`;
});
afterAll(async () => sim.stop());

describe('msal-node against the simulator', () => {
  it('gets an Exchange token with a SHA-256 thumbprint (x5t#S256, PS256)', async () => {
    const result = await msalApp().acquireTokenByClientCredential({ scopes: [exoScope] });
    expect(result?.accessToken).toBeTruthy();
    const claims = decodeJwt(result!.accessToken)!.payload;
    expect(claims).toMatchObject({
      aud: 'https://outlook.office365.com',
      tid: tenantId,
      appid: clientId,
      roles: ['Exchange.ManageAsApp'],
      idtyp: 'app',
    });
    expect(claims['wids']).toEqual(['29232cdf-9323-42fd-ade2-1d097af3e4de']);
  });

  it('gets a Graph token with a SHA-1 thumbprint (x5t, RS256) carrying the Graph roles', async () => {
    const result = await msalApp({ thumbprint: 'sha1' }).acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    const claims = decodeJwt(result!.accessToken)!.payload;
    expect(claims['aud']).toBe('https://graph.microsoft.com');
    expect(claims['roles']).toEqual(
      expect.arrayContaining(['Group.Read.All', 'Group-OnPremisesSyncBehavior.ReadWrite.All']),
    );
  });

  it('accepts the tenant by verified domain as well as by id', async () => {
    const assertion = clientAssertion(appCertificate(), clientId, `${sim.url}/contoso.com/oauth2/v2.0/token`);
    const res = await requestToken(sim, 'contoso.com', clientId, assertion, exoScope);
    expect(res.status, res.text).toBe(200);
  });

  it('surfaces a forged assertion (wrong private key) as invalid_client AADSTS700027', async () => {
    const forger = generateClientCertificate();
    await expect(
      msalApp({ certKey: forger.keyPem }).acquireTokenByClientCredential({ scopes: [exoScope] }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorNo: 700027,
    });
  });
});

describe('token endpoint refusals', () => {
  it('accepts the same assertion twice (MSAL reuses its jti for ten minutes)', async () => {
    const assertion = clientAssertion(appCertificate(), clientId, tokenUrl);
    expect((await requestToken(sim, tenantId, clientId, assertion, exoScope)).status).toBe(200);
    expect((await requestToken(sim, tenantId, clientId, assertion, exoScope)).status).toBe(200);
  });

  it('refuses a forged signature', async () => {
    const other = generateClientCertificate();
    const f = await aadFailure(
      clientAssertion(appCertificate(), clientId, tokenUrl, { signWith: other.keyPem }),
    );
    expect(f).toMatchObject({ status: 401, error: 'invalid_client', code: 700027 });
    expect(f.body.error_description).toMatch(/^AADSTS700027: /);
    for (const k of ['timestamp', 'trace_id', 'correlation_id']) expect(f.body[k]).toBeTruthy();
  });

  it('refuses an unknown thumbprint', async () => {
    const other = generateClientCertificate();
    const f = await aadFailure(clientAssertion(other, clientId, tokenUrl));
    expect(f).toMatchObject({ status: 401, error: 'invalid_client', code: 700027 });
    expect(f.body.error_description).toContain('The key was not found');
  });

  it('refuses an expired assertion', async () => {
    const now = Math.floor(Date.now() / 1000);
    const f = await aadFailure(
      clientAssertion(appCertificate(), clientId, tokenUrl, { nbf: now - 3600, exp: now - 1200 }),
    );
    expect(f).toMatchObject({ status: 401, error: 'invalid_client', code: 700024 });
  });

  it('refuses an assertion that is not yet valid', async () => {
    const now = Math.floor(Date.now() / 1000);
    const f = await aadFailure(
      clientAssertion(appCertificate(), clientId, tokenUrl, { nbf: now + 3600, exp: now + 4000 }),
    );
    expect(f.code).toBe(700024);
  });

  it('refuses an expired certificate', async () => {
    const expired = generateClientCertificate({
      notBefore: new Date(Date.now() - 2 * 86400_000),
      notAfter: new Date(Date.now() - 86400_000),
    });
    const app = sim.registerApp(tenantId, { certificates: [expired.certPem] });
    const f = await aadFailure(clientAssertion(expired, app.clientId, tokenUrl), { clientId: app.clientId });
    expect(f).toMatchObject({ status: 401, error: 'invalid_client', code: 700027 });
    expect(f.body.error_description).toContain('expired');
  });

  it('refuses a wrong audience', async () => {
    const f = await aadFailure(
      clientAssertion(appCertificate(), clientId, tokenUrl, {
        aud: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
      }),
    );
    expect(f).toMatchObject({ status: 401, error: 'invalid_client', code: 700023 });
  });

  it('refuses iss/sub that differ from client_id', async () => {
    const f = await aadFailure(
      clientAssertion(appCertificate(), clientId, tokenUrl, { iss: 'someone-else' }),
    );
    expect(f).toMatchObject({ status: 401, error: 'invalid_client', code: 700021 });
  });

  it('refuses an unknown app, and a known app in the wrong tenant', async () => {
    const unknown = await aadFailure(
      clientAssertion(appCertificate(), 'd6b8e2a1-0000-4000-8000-000000000001', tokenUrl),
      {
        clientId: 'd6b8e2a1-0000-4000-8000-000000000001',
      },
    );
    expect(unknown).toMatchObject({ status: 400, error: 'unauthorized_client', code: 700016 });
    const otherUrl = `${sim.url}/${otherTenantId}/oauth2/v2.0/token`;
    const wrongTenant = await aadFailure(clientAssertion(appCertificate(), clientId, otherUrl), {
      tenant: otherTenantId,
    });
    expect(wrongTenant).toMatchObject({ status: 400, error: 'unauthorized_client', code: 700016 });
  });

  it('refuses an unknown tenant', async () => {
    const f = await aadFailure(
      clientAssertion(appCertificate(), clientId, `${sim.url}/nowhere.example/oauth2/v2.0/token`),
      { tenant: 'nowhere.example' },
    );
    expect(f).toMatchObject({ status: 400, error: 'invalid_request', code: 90002 });
  });

  it('refuses an app without admin consent', async () => {
    const app = sim.registerApp(tenantId, {
      certificates: [appCertificate().certPem],
      consented: false,
      displayName: 'unconsented',
    });
    const f = await aadFailure(clientAssertion(appCertificate(), app.clientId, tokenUrl), {
      clientId: app.clientId,
    });
    expect(f).toMatchObject({ status: 400, error: 'invalid_grant', code: 65001 });
  });

  it('refuses a scope without /.default and an unknown resource', async () => {
    const assertion = clientAssertion(appCertificate(), clientId, tokenUrl);
    expect(
      (await aadFailure(assertion, { scope: 'https://outlook.office365.com/Exchange.ManageAsApp' })).code,
    ).toBe(1002012);
    expect((await aadFailure(assertion, { scope: 'https://management.azure.com/.default' })).code).toBe(
      500011,
    );
  });

  it('refuses a malformed assertion and a missing one', async () => {
    expect((await aadFailure('not-a-jwt')).code).toBe(50027);
    const res = await request(sim, 'POST', tokenUrl, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: clientId,
        scope: exoScope,
        grant_type: 'client_credentials',
      }).toString(),
    });
    expect(res.json.error_codes).toEqual([7000218]);
    const badGrant = await request(sim, 'POST', tokenUrl, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenForm(clientId, clientAssertion(appCertificate(), clientId, tokenUrl), exoScope).replace(
        'client_credentials',
        'password',
      ),
    });
    expect(badGrant.json.error).toBe('unsupported_grant_type');
  });

  it('issues tokens for a tenant registered with sovereign-cloud resources only for those resources', async () => {
    const gov = sim.createTenant({
      name: 'contosogov',
      resources: { exchange: 'https://outlook.office365.us', graph: 'https://graph.microsoft.us' },
    });
    const app = sim.registerApp(gov.id, {
      certificates: [appCertificate().certPem],
      roles: { 'https://outlook.office365.us': ['Exchange.ManageAsApp'] },
    });
    const url = `${sim.url}/${gov.id}/oauth2/v2.0/token`;
    const ok = await requestToken(
      sim,
      gov.id,
      app.clientId,
      clientAssertion(appCertificate(), app.clientId, url),
      'https://outlook.office365.us/.default',
    );
    expect(ok.status, ok.text).toBe(200);
    expect(decodeJwt(ok.json.access_token)!.payload['aud']).toBe('https://outlook.office365.us');
    const commercial = await requestToken(
      sim,
      gov.id,
      app.clientId,
      clientAssertion(appCertificate(), app.clientId, url),
      exoScope,
    );
    expect(commercial.json.error_codes).toEqual([500011]);
  });

  it('fails the next token requests with an injected throttle or outage', async () => {
    sim.injectTokenFault(tenantId, { count: 1, status: 429, retryAfterSeconds: 7 });
    sim.injectTokenFault(tenantId, { count: 1, status: 503 });
    const assertion = clientAssertion(appCertificate(), clientId, tokenUrl);
    const throttled = await requestToken(sim, tenantId, clientId, assertion, exoScope);
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('7');
    expect(throttled.json.error_codes).toEqual([50196]);
    const outage = await requestToken(sim, tenantId, clientId, assertion, exoScope);
    expect(outage.status).toBe(503);
    expect(outage.json.error).toBe('temporarily_unavailable');
    expect((await requestToken(sim, tenantId, clientId, assertion, exoScope)).status).toBe(200);
  });

  it("issues tokens of the tenant's lifetime (tokenLifetimeSeconds): msal-node asks again once one nears its end", async () => {
    const tokens = () => sim.calls(tenantId).tokens;
    const assertion = clientAssertion(appCertificate(), clientId, tokenUrl);
    const hour = await requestToken(sim, tenantId, clientId, assertion, exoScope);
    expect(hour.json.expires_in).toBe(3599);
    // The default hour: a second request of the same app is served from msal-node's cache.
    const app = msalApp();
    let before = tokens();
    await app.acquireTokenByClientCredential({ scopes: [exoScope] });
    await app.acquireTokenByClientCredential({ scopes: [exoScope] });
    expect(tokens() - before).toBe(1);

    sim.setBehaviour(tenantId, { tokenLifetimeSeconds: 120 });
    try {
      const short = await requestToken(sim, tenantId, clientId, assertion, exoScope);
      expect([short.json.expires_in, short.json.ext_expires_in]).toEqual([120, 120]);
      const claims = decodeJwt(short.json.access_token as string)!.payload;
      expect((claims['exp'] as number) - (claims['iat'] as number)).toBe(120);
      // Within msal-node's renewal offset (five minutes before expiry) a cached token counts as expired: every
      // acquire goes to the endpoint again — the refresh a long run makes when its token runs out.
      const refreshing = msalApp();
      before = tokens();
      await refreshing.acquireTokenByClientCredential({ scopes: [exoScope] });
      await refreshing.acquireTokenByClientCredential({ scopes: [exoScope] });
      expect(tokens() - before).toBe(2);
      // A refresh refused by the endpoint fails the acquire: the cached token is not handed out instead.
      sim.injectTokenFault(tenantId, { count: 1, status: 503 });
      await expect(refreshing.acquireTokenByClientCredential({ scopes: [exoScope] })).rejects.toMatchObject({
        errorCode: 'temporarily_unavailable',
      });
      expect(() => sim.setBehaviour(tenantId, { tokenLifetimeSeconds: 0 })).toThrow(/at least 1/);
      expect(() => sim.setBehaviour(tenantId, { tokenLifetimeSeconds: 1.5 })).toThrow(/whole number/);
    } finally {
      sim.clearFaults(tenantId);
      sim.setBehaviour(tenantId, { tokenLifetimeSeconds: 3599 });
    }
  });

  it('serves OpenID metadata and the signing keys', async () => {
    const meta = await request(sim, 'GET', `${sim.url}/${tenantId}/v2.0/.well-known/openid-configuration`);
    expect(meta.json.token_endpoint).toBe(tokenUrl);
    const keys = await request(sim, 'GET', meta.json.jwks_uri);
    expect(keys.json.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig' });
  });
});
