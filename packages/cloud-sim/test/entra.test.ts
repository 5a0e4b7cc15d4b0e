// Graph contract of what Entra holds by object id (issue 16): group licences, app role assignments, Conditional
// Access policies, role assignments and administrative units, memberships in other groups and owners — the reads,
// the permission each needs, what seeding refuses (as Entra does), and what a hard delete leaves behind.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudSim } from '../src/index.js';
import { contoso, request, setupTenant, tokenFor, type TestTenant } from './helpers.js';

let sim: CloudSim;
let t: TestTenant;
let baseline: string;
let salesId: string;
let aliceId: string;
const e3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
const helpdeskAdministrator = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

beforeAll(async () => {
  sim = await CloudSim.start();
  t = await setupTenant(sim);
  sim.seedRecipients(t.tenantId, [
    contoso.alice,
    {
      type: 'MailUniversalSecurityGroup',
      name: 'Sales',
      alias: 'sales',
      primarySmtpAddress: 'sales@contoso.com',
      members: ['alice'],
    },
    { type: 'MailUniversalDistributionGroup', name: 'Newsletter', primarySmtpAddress: 'news@contoso.com' },
    {
      type: 'MailUniversalDistributionGroup',
      name: 'Everyone',
      primarySmtpAddress: 'everyone@contoso.com',
      members: ['sales'],
    },
  ]);
  sim.seedEntra(t.tenantId, {
    securityGroups: [
      { displayName: 'VPN users', members: ['sales@contoso.com'] },
      { displayName: 'Helpdesk admins', isAssignableToRole: true, members: ['alice@contoso.com'] },
    ],
    administrativeUnits: [{ displayName: 'Sales region', members: ['sales@contoso.com'] }],
    servicePrincipals: [{ displayName: 'Salesforce', appRoles: [{ value: 'User', displayName: 'User' }] }],
    groupLicenses: [{ group: 'sales@contoso.com', skuIds: [e3] }],
    appRoleAssignments: [{ principal: 'sales@contoso.com', resource: 'Salesforce', appRole: 'User' }],
    conditionalAccessPolicies: [
      { displayName: 'Require MFA for sales', includeGroups: ['sales@contoso.com'] },
      { displayName: 'Block legacy auth', includeUsers: ['All'], excludeGroups: ['sales@contoso.com'] },
      { displayName: 'Unrelated', includeGroups: ['VPN users'], state: 'disabled' },
    ],
    roleAssignments: [
      {
        principal: 'Helpdesk admins',
        roleDefinitionId: helpdeskAdministrator,
        directoryScope: 'Sales region',
      },
    ],
    owners: [{ group: 'sales@contoso.com', owners: ['alice@contoso.com', 'Salesforce'] }],
  });
  const get = async (address: string) =>
    (await t.invoke('Get-Recipient', { Identity: address })).json.value[0]
      .ExternalDirectoryObjectId as string;
  salesId = await get('sales@contoso.com');
  aliceId = await get('alice@contoso.com');
  baseline = sim.snapshot();
});
beforeEach(() => sim.restore(baseline));
afterAll(async () => {
  await sim.stop();
});

/** A Graph token of an app holding only these Graph roles. */
async function tokenWith(roles: string[]): Promise<string> {
  const app = sim.registerApp(t.tenantId, {
    certificates: [t.cert.certPem],
    roles: {
      'https://graph.microsoft.com': roles,
      'https://outlook.office365.com': ['Exchange.ManageAsApp'],
    },
  });
  return tokenFor(sim, t.tenantId, app.clientId, t.cert, 'https://graph.microsoft.com');
}

describe('group-based licences', () => {
  it('assignedLicenses and licenseProcessingState come only on $select', async () => {
    const plain = await t.graph('GET', `/v1.0/groups/${salesId}`);
    expect(plain.json).not.toHaveProperty('assignedLicenses');
    const selected = await t.graph(
      'GET',
      `/v1.0/groups/${salesId}?$select=id,assignedLicenses,licenseProcessingState`,
    );
    expect(selected.json).toMatchObject({
      id: salesId,
      assignedLicenses: [{ skuId: e3, disabledPlans: [] }],
      licenseProcessingState: { state: 'ProcessingComplete' },
    });
    const skus = await t.graph('GET', '/v1.0/subscribedSkus');
    expect(skus.json.value.find((s: { skuId: string }) => s.skuId === e3)).toMatchObject({
      skuPartNumber: 'ENTERPRISEPACK',
      consumedUnits: 1,
    });
  });

  it('seeding refuses a licence on a group that is not a security group, and an unknown SKU — changing nothing', () => {
    expect(() =>
      sim.seedEntra(t.tenantId, { groupLicenses: [{ group: 'news@contoso.com', skuIds: [e3] }] }),
    ).toThrow(/not a security group/);
    expect(() =>
      sim.seedEntra(t.tenantId, {
        servicePrincipals: [{ displayName: 'Half-made' }],
        groupLicenses: [{ group: 'sales@contoso.com', skuIds: ['00000000-1111-2222-3333-444444444444'] }],
      }),
    ).toThrow(/no subscription/);
    expect(sim.dump().tenants[t.tenantId]!.entra!.servicePrincipals.map((s) => s.displayName)).toEqual([
      'Salesforce',
    ]);
  });
});

describe('memberOf and owners', () => {
  it('memberOf lists the cloud groups (mail-enabled or not) and administrative units the group is in', async () => {
    const res = await t.graph('GET', `/v1.0/groups/${salesId}/memberOf`);
    expect(res.status).toBe(200);
    const seen = res.json.value.map((o: { '@odata.type': string; displayName: string }) => [
      o['@odata.type'],
      o.displayName,
    ]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['#microsoft.graph.group', 'Everyone'],
        ['#microsoft.graph.group', 'VPN users'],
        ['#microsoft.graph.administrativeUnit', 'Sales region'],
      ]),
    );
    expect(seen).toHaveLength(3);
    expect(res.json.value.find((o: { displayName: string }) => o.displayName === 'VPN users')).toMatchObject({
      mailEnabled: false,
      securityEnabled: true,
    });
  });

  it('owners lists users and service principals', async () => {
    const res = await t.graph('GET', `/v1.0/groups/${salesId}/owners`);
    expect(res.json.value.map((o: { '@odata.type': string }) => o['@odata.type']).sort()).toEqual([
      '#microsoft.graph.servicePrincipal',
      '#microsoft.graph.user',
    ]);
    expect(res.json.value.find((o: { id: string }) => o.id === aliceId)).toBeDefined();
  });

  it('an unknown group is 404 Request_ResourceNotFound', async () => {
    const res = await t.graph('GET', '/v1.0/groups/2bd7a2ca-8e3e-4c57-a5c2-6c61f1f5f1a0/memberOf');
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('Request_ResourceNotFound');
  });
});

describe('app role assignments and Conditional Access', () => {
  it('the app roles granted to the group, with the resource named', async () => {
    const res = await t.graph('GET', `/v1.0/groups/${salesId}/appRoleAssignments`);
    expect(res.json.value).toEqual([
      expect.objectContaining({
        principalId: salesId,
        principalType: 'Group',
        principalDisplayName: 'Sales',
        resourceDisplayName: 'Salesforce',
      }),
    ]);
  });

  it('one call lists every policy; the group is found in includeGroups and excludeGroups', async () => {
    const res = await t.graph('GET', '/v1.0/identity/conditionalAccess/policies');
    const naming = res.json.value.filter(
      (p: { conditions: { users: { includeGroups: string[]; excludeGroups: string[] } } }) =>
        [...p.conditions.users.includeGroups, ...p.conditions.users.excludeGroups].includes(salesId),
    );
    expect(naming.map((p: { displayName: string }) => p.displayName).sort()).toEqual([
      'Block legacy auth',
      'Require MFA for sales',
    ]);
    const one = await t.graph('GET', `/v1.0/identity/conditionalAccess/policies/${naming[0].id}`);
    expect(one.json.id).toBe(naming[0].id);
  });

  it('each read needs its documented permission', async () => {
    const groupOnly = await tokenWith(['Group.Read.All']);
    expect(
      (await t.graph('GET', '/v1.0/identity/conditionalAccess/policies', undefined, groupOnly)).status,
    ).toBe(403);
    expect(
      (await t.graph('GET', `/v1.0/groups/${salesId}/appRoleAssignments`, undefined, groupOnly)).status,
    ).toBe(403);
    expect(
      (
        await t.graph(
          'GET',
          `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${salesId}'`,
          undefined,
          groupOnly,
        )
      ).status,
    ).toBe(403);
    // memberOf and owners: GroupMember.Read.All is the least privilege, Group.Read.All works too.
    expect((await t.graph('GET', `/v1.0/groups/${salesId}/memberOf`, undefined, groupOnly)).status).toBe(200);
    const policyReader = await tokenWith(['Policy.Read.All']);
    expect(
      (await t.graph('GET', '/v1.0/identity/conditionalAccess/policies', undefined, policyReader)).status,
    ).toBe(200);
    const denied = await t.graph('GET', `/v1.0/groups/${salesId}/owners`, undefined, policyReader);
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('Authorization_RequestDenied');
  });
});

describe('role assignments and administrative units', () => {
  it('filters role assignments by principalId; an AU-scoped one shows under the unit', async () => {
    const helpdesk = sim
      .dump()
      .tenants[t.tenantId]!.entra!.securityGroups.find((g) => g.displayName === 'Helpdesk admins')!;
    const res = await t.graph(
      'GET',
      `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${helpdesk.id}'`,
    );
    expect(res.json.value).toEqual([
      expect.objectContaining({ principalId: helpdesk.id, roleDefinitionId: helpdeskAdministrator }),
    ]);
    const unitId = res.json.value[0].directoryScopeId.split('/')[2];
    const scoped = await t.graph('GET', `/v1.0/directory/administrativeUnits/${unitId}/scopedRoleMembers`);
    expect(scoped.json.value[0].roleMemberInfo).toEqual({ id: helpdesk.id, displayName: 'Helpdesk admins' });
    expect(
      (
        await t.graph(
          'GET',
          `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${salesId}'`,
        )
      ).json.value,
    ).toEqual([]);
    expect(
      (await t.graph('GET', "/v1.0/roleManagement/directory/roleAssignments?$filter=startswith(id,'x')"))
        .status,
    ).toBe(400);
  });

  it('seeding refuses a role for a group that is not role-assignable (on-premises and ordinary groups never are)', () => {
    expect(() =>
      sim.seedEntra(t.tenantId, {
        roleAssignments: [{ principal: 'sales@contoso.com', roleDefinitionId: helpdeskAdministrator }],
      }),
    ).toThrow(/not a role-assignable group/);
    expect(() =>
      sim.seedEntra(t.tenantId, {
        securityGroups: [{ displayName: 'Nested', isAssignableToRole: true, members: ['sales@contoso.com'] }],
      }),
    ).toThrow(/can't be a member/);
  });
});

describe('a hard-deleted group', () => {
  it('leaves its licences, app roles, memberships and owners behind; Conditional Access keeps its id', async () => {
    await t.invoke('Remove-DistributionGroup', { Identity: 'sales', BypassSecurityGroupManagerCheck: true });
    const entra = sim.dump().tenants[t.tenantId]!.entra!;
    expect(entra.groupLicensing[salesId]).toBeUndefined();
    expect(entra.appRoleAssignments).toEqual([]);
    expect(entra.owners[salesId]).toBeUndefined();
    expect(entra.securityGroups.find((g) => g.displayName === 'VPN users')!.members).toEqual([]);
    expect(entra.administrativeUnits[0]!.members).toEqual([]);
    const policies = (await t.graph('GET', '/v1.0/identity/conditionalAccess/policies')).json.value;
    expect(
      policies.find((p: { displayName: string }) => p.displayName === 'Require MFA for sales').conditions
        .users.includeGroups,
    ).toEqual([salesId]);
    expect((await t.graph('GET', `/v1.0/groups/${salesId}/memberOf`)).status).toBe(404);
  });
});

describe('control plane', () => {
  it('POST /_sim/tenants/{t}/entra seeds, PUT …/transport-rule-binding switches the rule binding; bad input is 400', async () => {
    const seeded = await request(sim, 'POST', `${sim.url}/_sim/tenants/${t.tenantId}/entra`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ owners: [{ group: 'news@contoso.com', owners: ['alice@contoso.com'] }] }),
    });
    expect(seeded.status).toBe(200);
    const bad = await request(sim, 'POST', `${sim.url}/_sim/tenants/${t.tenantId}/entra`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ owners: [{ group: 'nobody@contoso.com', owners: [] }] }),
    });
    expect(bad.status).toBe(400);
    const binding = await request(
      sim,
      'PUT',
      `${sim.url}/_sim/tenants/${t.tenantId}/transport-rule-binding`,
      {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ binding: 'object' }),
      },
    );
    expect(binding.status).toBe(200);
    expect(sim.dump().tenants[t.tenantId]!.exchangeConfig!.transportRuleBinding).toBe('object');
    const wrong = await request(sim, 'PUT', `${sim.url}/_sim/tenants/${t.tenantId}/transport-rule-binding`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ binding: 'maybe' }),
    });
    expect(wrong.status).toBe(400);
  });
});
