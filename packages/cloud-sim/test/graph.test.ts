// Graph subset contract: groups by id and by filter, members, onPremisesSyncBehavior, permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudSim } from '../src/index.js';
import { contoso, request, setupTenant, tokenFor, type TestTenant } from './helpers.js';

let sim: CloudSim;
let t: TestTenant;
let marketingId: string;

beforeAll(async () => {
  sim = await CloudSim.start();
  t = await setupTenant(sim);
  sim.seedRecipients(t.tenantId, [
    contoso.alice,
    contoso.paul,
    {
      ...contoso.marketing,
      emailAddresses: ['SMTP:marketing@contoso.com', 'smtp:mkt@contoso.com'],
      members: ['alice', 'paul', 'execs'],
    },
    contoso.execs,
    contoso.projectX,
    {
      type: 'DynamicDistributionGroup',
      name: 'Dynamic',
      alias: 'dynamic',
      primarySmtpAddress: 'dynamic@contoso.com',
    },
    ...Array.from({ length: 150 }, (_, i) => ({
      type: 'MailContact' as const,
      name: `C${i}`,
      primarySmtpAddress: `c${i}@fabrikam.example`,
    })),
  ]);
  const members = Array.from({ length: 150 }, (_, i) => `c${i}@fabrikam.example`);
  sim.seedRecipients(t.tenantId, [
    { type: 'MailUniversalDistributionGroup', name: 'Big', primarySmtpAddress: 'big@contoso.com', members },
  ]);
  marketingId = (await t.invoke('Get-DistributionGroup', { Identity: 'marketing' })).json.value[0]
    .ExternalDirectoryObjectId;
});
afterAll(async () => sim.stop());

describe('groups', () => {
  it('GET /v1.0/groups/{id} is the same object Exchange shows', async () => {
    const res = await t.graph('GET', `/v1.0/groups/${marketingId}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: marketingId,
      displayName: 'Marketing',
      mail: 'marketing@contoso.com',
      mailNickname: 'marketing',
      mailEnabled: true,
      securityEnabled: false,
      groupTypes: [],
      onPremisesSyncEnabled: null,
      proxyAddresses: ['SMTP:marketing@contoso.com', 'smtp:mkt@contoso.com'],
    });
    expect(res.json['@odata.context']).toContain('$metadata#groups/$entity');
    const sel = await t.graph('GET', `/v1.0/groups/${marketingId}?$select=mail,onPremisesSyncEnabled`);
    expect(Object.keys(sel.json).sort()).toEqual(['@odata.context', 'id', 'mail', 'onPremisesSyncEnabled']);
    const execs = (await t.graph('GET', `/v1.0/groups?$filter=mail eq 'execs@contoso.com'`)).json.value[0];
    expect(execs.securityEnabled).toBe(true);
    const unified = (await t.graph('GET', `/v1.0/groups?$filter=mailNickname eq 'projectx'`)).json.value[0];
    expect(unified.groupTypes).toEqual(['Unified']);
  });

  it('answers 404 Request_ResourceNotFound for a missing or deleted group', async () => {
    const missing = await t.graph('GET', '/v1.0/groups/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('Request_ResourceNotFound');
    expect(missing.json.error.innerError['request-id']).toBeTruthy();
    const temp = (await t.invoke('New-DistributionGroup', { Name: 'Temp' })).json.value[0];
    expect((await t.graph('GET', `/v1.0/groups/${temp.ExternalDirectoryObjectId}`)).status).toBe(200);
    await t.invoke('Remove-DistributionGroup', {
      Identity: temp.Guid,
      BypassSecurityGroupManagerCheck: true,
    });
    expect((await t.graph('GET', `/v1.0/groups/${temp.ExternalDirectoryObjectId}`)).status).toBe(404);
    const deleted = await t.graph(
      'GET',
      `/v1.0/directory/deletedItems/microsoft.graph.group/${temp.ExternalDirectoryObjectId}`,
    );
    expect(deleted.status).toBe(404); // DLs are hard-deleted: never in the recycle bin
    const dynamic = (await t.invoke('Get-DynamicDistributionGroup', { Identity: 'dynamic' })).json.value[0];
    expect(dynamic.ExternalDirectoryObjectId).toBe(''); // dynamic DLs are not directory objects
  });

  it('looks groups up by mail, proxy address and other filters', async () => {
    const byMail = await t.graph('GET', `/v1.0/groups?$filter=mail eq 'marketing@contoso.com'`);
    expect(byMail.json.value.map((g: { id: string }) => g.id)).toEqual([marketingId]);
    const byProxy = await t.graph(
      'GET',
      `/v1.0/groups?$filter=proxyAddresses/any(p:p eq 'smtp:mkt@contoso.com')`,
    );
    expect(byProxy.json.value.map((g: { id: string }) => g.id)).toEqual([marketingId]);
    const dls = await t.graph(
      'GET',
      `/v1.0/groups?$filter=mailEnabled eq true and securityEnabled eq false and NOT groupTypes/any(c:c eq 'Unified')&$select=displayName`,
    );
    expect(dls.json.value.map((g: { displayName: string }) => g.displayName)).toEqual(['Big', 'Marketing']);
    const unsupported = await t.graph('GET', `/v1.0/groups?$filter=mail gt 'a'`);
    expect(unsupported.status).toBe(400);
    expect(unsupported.json.error.code).toBe('Request_UnsupportedQuery');
  });

  it('lists members as users, contacts and groups, paged with @odata.nextLink', async () => {
    const res = await t.graph('GET', `/v1.0/groups/${marketingId}/members`);
    expect(res.json.value.map((m: { '@odata.type': string }) => m['@odata.type']).sort()).toEqual([
      '#microsoft.graph.group',
      '#microsoft.graph.orgContact',
      '#microsoft.graph.user',
    ]);
    const big = (await t.graph('GET', `/v1.0/groups?$filter=mail eq 'big@contoso.com'`)).json.value[0];
    let url: string | undefined = `${sim.url}/v1.0/groups/${big.id}/members?$top=60`;
    const seen: string[] = [];
    while (url) {
      const page = await request(sim, 'GET', url, { headers: { authorization: `Bearer ${t.graphToken}` } });
      seen.push(...page.json.value.map((m: { id: string }) => m.id));
      url = page.json['@odata.nextLink'];
    }
    expect(seen).toHaveLength(150);
    expect(new Set(seen).size).toBe(150);
  });
});

describe('onPremisesSyncBehavior', () => {
  it('refuses a group that was never synchronised from on-premises', async () => {
    const get = await t.graph('GET', `/beta/groups/${marketingId}/onPremisesSyncBehavior`);
    expect(get.json).toMatchObject({ id: marketingId, isCloudManaged: false });
    const patch = await t.graph('PATCH', `/beta/groups/${marketingId}/onPremisesSyncBehavior`, {
      isCloudManaged: true,
    });
    expect(patch.status).toBe(400);
    const bad = await t.graph('PATCH', `/beta/groups/${marketingId}/onPremisesSyncBehavior`, {
      isCloudManaged: 'yes',
    });
    expect(bad.status).toBe(400);
    expect(
      (await t.graph('GET', `/beta/groups/00000000-0000-4000-8000-000000000000/onPremisesSyncBehavior`))
        .status,
    ).toBe(404);
  });
});

describe('authorisation', () => {
  it('401 for an Exchange token, 403 without the needed role', async () => {
    const wrongAud = await t.graph('GET', `/v1.0/groups/${marketingId}`, undefined, t.exoToken);
    expect(wrongAud.status).toBe(401);
    expect(wrongAud.json.error.code).toBe('InvalidAuthenticationToken');
    const app = sim.registerApp(t.tenantId, {
      certificates: [t.cert.certPem],
      roles: { 'https://graph.microsoft.com': ['Group.Read.All'] },
    });
    const readOnly = await tokenFor(sim, t.tenantId, app.clientId, t.cert, 'https://graph.microsoft.com');
    expect((await t.graph('GET', `/v1.0/groups/${marketingId}`, undefined, readOnly)).status).toBe(200);
    const patch = await t.graph(
      'PATCH',
      `/beta/groups/${marketingId}/onPremisesSyncBehavior`,
      { isCloudManaged: true },
      readOnly,
    );
    expect(patch.status).toBe(403);
    expect(patch.json.error.code).toBe('Authorization_RequestDenied');
    const { servicePrincipalId, jobId } = sim.tenant(t.tenantId).cloudSyncJob;
    expect(
      (
        await t.graph(
          'POST',
          `/v1.0/servicePrincipals/${servicePrincipalId}/synchronization/jobs/${jobId}/start`,
          undefined,
          readOnly,
        )
      ).status,
    ).toBe(403);
    expect(sim.calls(t.tenantId).graph['GET /groups/{id}']).toBeGreaterThan(0);
  });
});

describe('injected faults', () => {
  it('fails the next N requests of a route with the injected error, changing nothing, and counts them', async () => {
    sim.resetCalls(t.tenantId);
    sim.injectGraphFault(t.tenantId, {
      route: 'GET /groups/{id}',
      count: 2,
      status: 503,
      retryAfterSeconds: 2,
    });
    sim.injectGraphFault(t.tenantId, {
      route: 'PATCH /groups/{id}/onPremisesSyncBehavior',
      count: 1,
      status: 403,
    });
    for (let i = 0; i < 2; i++) {
      const busy = await t.graph('GET', `/v1.0/groups/${marketingId}`);
      expect(busy.status).toBe(503);
      expect(busy.json.error.code).toBe('serviceNotAvailable');
      expect(busy.headers['retry-after']).toBe('2');
    }
    // Other routes answer as usual; the fault's route answers again once its count is used up.
    expect((await t.graph('GET', `/v1.0/groups/${marketingId}/members`)).status).toBe(200);
    expect((await t.graph('GET', `/v1.0/groups/${marketingId}`)).status).toBe(200);
    // The fault answers before the request is looked at, and changes nothing.
    const denied = await t.graph('PATCH', `/beta/groups/${marketingId}/onPremisesSyncBehavior`, {
      isCloudManaged: true,
    });
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('Authorization_RequestDenied');
    expect((await t.graph('GET', `/beta/groups/${marketingId}/onPremisesSyncBehavior`)).json).toMatchObject({
      isCloudManaged: false,
    });
    expect(sim.calls(t.tenantId).graph).toMatchObject({
      'GET /groups/{id}': 3,
      'GET /groups/{id}/members': 1,
      'PATCH /groups/{id}/onPremisesSyncBehavior': 1,
    });
    // Cleared with the other faults.
    sim.injectGraphFault(t.tenantId, { route: 'GET /groups/{id}', count: 5, status: 500 });
    sim.clearFaults(t.tenantId);
    expect((await t.graph('GET', `/v1.0/groups/${marketingId}`)).status).toBe(200);
  });
});
