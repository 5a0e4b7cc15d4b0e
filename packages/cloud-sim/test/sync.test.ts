// A full sync round against the Samba lab (instance "cloud-sim"): project the contoso tree, move a
// group out of scope, leave a converted group alone, stop a mass deletion.
import { BULK_USER_COUNT, Lab, type LabEnv } from '@dlmigrate/lab';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudSim } from '../src/index.js';
import { cmdletError, request, setupTenant, type TestTenant } from './helpers.js';

let lab: Lab;
let env: LabEnv;
let sim: CloudSim;
let t: TestTenant;
let objects: NonNullable<ReturnType<Lab['seeded']>>['objects'];

async function ldap<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: env.url, tlsOptions: { ca: [env.caPem] } });
  await client.bind(env.bindDn, env.bindPassword);
  try {
    return await fn(client);
  } finally {
    await client.unbind();
  }
}

function replace(type: string, value: string): Change {
  return new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) });
}

function syncConfig(scopeOus: string[], extra: Record<string, unknown> = {}) {
  return {
    ldap: { url: env.url, caPem: env.caPem, bindDn: env.bindDn, bindPassword: env.bindPassword },
    scopeOus,
    ...extra,
  };
}

function edoid(key: string): string {
  const raw = objects[key]!.attributes['msDS-ExternalDirectoryObjectId']?.[0] ?? '';
  return raw.replace(/^[A-Za-z]+_/, '').toLowerCase();
}

beforeAll(async () => {
  lab = await Lab.ensure({ name: 'cloud-sim' });
  await lab.reset();
  env = lab.env();
  objects = lab.seeded()!.objects;
  sim = await CloudSim.start();
  t = await setupTenant(sim);
  sim.configureSync(t.tenantId, syncConfig([objects['ous.contoso']!.dn]));
}, 180_000);

afterAll(async () => {
  await sim?.stop();
  await lab?.reset();
});

describe('directory sync', () => {
  it('projects the in-scope tree as directory-synced recipients', async () => {
    const res = await request(sim, 'POST', `${sim.url}/_sim/sync/run`, {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status, res.text).toBe(200);
    const cycle = res.json;
    expect(cycle.status).toBe('success');
    expect(cycle.errors).toEqual([]);
    const addedNames = cycle.added.map((a: { name: string }) => a.name);
    expect(addedNames).toEqual(
      expect.arrayContaining(['Sales', 'All Staff', 'Alice Anders', 'Paul Partner', 'Bulk User 0001']),
    );
    expect(addedNames).not.toContain('Nina NonSync'); // outside the synced tree
    expect(addedNames).not.toContain('Parked Group'); // in the non-sync OU
    expect(addedNames).not.toContain('IT Security'); // not mail-enabled

    const sales = await t.invoke('Get-DistributionGroup', { Identity: 'sales@contoso.com' });
    expect(sales.status, sales.text).toBe(200);
    const g = sales.json.value[0];
    expect(g.IsDirSynced).toBe(true);
    expect(g.ExternalDirectoryObjectId).toBe(edoid('groups.sales'));
    expect(g.RecipientTypeDetails).toBe('MailUniversalDistributionGroup');
    expect(g.DisplayName).toBe('Sales Team');
    expect(g.EmailAddresses).toEqual(
      expect.arrayContaining([
        'SMTP:sales@contoso.com',
        'smtp:vertrieb@contoso.com',
        'smtp:sales@contoso.mail.onmicrosoft.com',
        `X500:${objects['groups.sales']!.attributes['legacyExchangeDN']![0]}`,
        'smtp:sales@contoso.onmicrosoft.com',
      ]),
    );
    expect(g.ManagedBy).toEqual(expect.arrayContaining(['Alice Anders', 'Bob Berg', 'Sales Admins']));
    expect(g.ModeratedBy).toEqual(['Carol Clark']);
    expect(g.ModerationEnabled).toBe(true);
    expect(g.SendModerationNotifications).toBe('Always');
    expect(g.AcceptMessagesOnlyFromDLMembers).toEqual(['Executives']);
    expect(g.AcceptMessagesOnlyFrom).toEqual(
      expect.arrayContaining(['Heidi Hahn', 'Paul Partner', 'Alice Anders']),
    );
    expect(g.RejectMessagesFromSendersOrMembers).toEqual(
      expect.arrayContaining(['Ivan Ilic', 'Contractors']),
    );
    expect(g.GrantSendOnBehalfTo).toEqual(['Dave Dunn']);
    expect(g.CustomAttribute1).toBe('sales-ext1');
    expect(g.ExtensionCustomAttribute1).toEqual(expect.arrayContaining(['region:emea', 'region:apac']));
    expect(g.MemberJoinRestriction).toBe('Open');
    expect(g.RequireSenderAuthenticationEnabled).toBe(true);
    expect(g.ReportToOriginatorEnabled).toBe(true);
    expect(g.SendOofMessageToOriginatorEnabled).toBe(true);

    const members = await t.invokeAll('Get-DistributionGroupMember', {
      Identity: g.ExternalDirectoryObjectId,
      ResultSize: 'Unlimited',
    });
    expect(members.value.map((m: { Name: string }) => m.Name).sort()).toEqual(
      [
        'Alice Anders',
        'Bob Berg',
        'Dave Dunn',
        'Erin Evans',
        "Seán O'Brien",
        'Paul Partner',
        'Vera Vendor',
        'Legacy-MigratedByScript',
      ].sort(),
    );
    const types = Object.fromEntries(
      members.value.map((m: { Name: string; RecipientTypeDetails: string }) => [
        m.Name,
        m.RecipientTypeDetails,
      ]),
    );
    expect(types['Dave Dunn']).toBe('UserMailbox'); // remote mailbox = mailbox in Exchange Online
    expect(types['Erin Evans']).toBe('MailUser');
    expect(types['Paul Partner']).toBe('MailContact');

    const graph = await t.graph('GET', `/v1.0/groups/${g.ExternalDirectoryObjectId}`);
    expect(graph.status).toBe(200);
    expect(graph.json.onPremisesSyncEnabled).toBe(true);
    expect(graph.json.onPremisesSecurityIdentifier).toBe(objects['groups.sales']!.objectSid);

    // Plain (non-mail) users are synced as users: Get-User sees them, Get-Recipient does not.
    const frank = await t.invoke('Get-User', { Identity: edoid('users.frank') || 'Frank Fischer' });
    expect(frank.status, frank.text).toBe(200);
    expect(frank.json.value[0]).toMatchObject({
      Name: 'Frank Fischer',
      RecipientType: 'User',
      RecipientTypeDetails: 'User',
      IsDirSynced: true,
    });
    expect((await t.invoke('Get-Recipient', { Identity: 'Frank Fischer' })).status).toBe(404);
    const byFilter = await t.invoke('Get-User', {
      Filter: `UserPrincipalName -eq '${frank.json.value[0].UserPrincipalName}'`,
    });
    expect(byFilter.json.value.map((u: { Name: string }) => u.Name)).toEqual(['Frank Fischer']);
    const aliceUser = await t.invoke('Get-User', { Identity: 'alice@contoso.com' });
    expect(aliceUser.json.value[0].RecipientType).toBe('UserMailbox');

    // 3,001 members: read from the directory in windows of 1,500 (member;range=…), listed in pages of 1,000.
    const big = await t.invokeAll('Get-DistributionGroupMember', {
      Identity: 'bulkusers@contoso.com',
      ResultSize: 'Unlimited',
    });
    expect(big.pages).toBe(4);
    expect(new Set(big.value.map((m: { Name: string }) => m.Name)).size).toBe(BULK_USER_COUNT + 1);
  });

  it('refuses to edit a synced group and a second cycle changes nothing', async () => {
    const res = await t.invoke('Set-DistributionGroup', {
      Identity: 'sales@contoso.com',
      HiddenFromAddressListsEnabled: true,
      BypassSecurityGroupManagerCheck: true,
    });
    expect(res.status).toBe(400);
    const e = cmdletError(res);
    expect(e.type).toBe('System.InvalidOperationException');
    expect(e.message).toContain('being synchronized from your on-premises organization');
    const members = await t.invoke('Add-DistributionGroupMember', {
      Identity: 'sales@contoso.com',
      Member: 'heidi@contoso.com',
      BypassSecurityGroupManagerCheck: true,
    });
    expect(cmdletError(members).type).toBe('System.InvalidOperationException');
    const again = await sim.runSync(t.tenantId);
    expect(again.added).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.deleted).toEqual([]);
  });

  it('propagates on-premises changes on the next cycle', async () => {
    await ldap((c) =>
      c.modify(objects['groups.hidden']!.dn, [replace('displayName', 'Hidden Approvals (renamed)')]),
    );
    const cycle = await sim.runSync(t.tenantId);
    expect(cycle.updated.map((u) => u.name)).toEqual(['Hidden Approvals']);
    const g = await t.invoke('Get-DistributionGroup', { Identity: 'hidden-approvals@contoso.com' });
    expect(g.json.value[0].DisplayName).toBe('Hidden Approvals (renamed)');
    expect(g.json.value[0].HiddenFromAddressListsEnabled).toBe(true);
    expect(g.json.value[0].MemberJoinRestriction).toBe('ApprovalRequired');
  });

  it('deletes a group moved out of scope (Exchange and Graph) after one cycle', async () => {
    const id = edoid('groups.sales');
    const nonSync = objects['ous.nonSync']!.dn;
    await ldap((c) => c.modifyDN(objects['groups.sales']!.dn, `CN=Sales,${nonSync}`));
    const cycle = await sim.runSync(t.tenantId);
    expect(cycle.deleted.map((d) => d.name)).toEqual(['Sales']);
    const gone = await t.invoke('Get-Recipient', { Identity: id });
    expect(gone.status).toBe(404);
    expect(cmdletError(gone).type).toBe(
      'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    );
    const graph = await t.graph('GET', `/v1.0/groups/${id}`);
    expect(graph.status).toBe(404);
    expect(graph.json.error.code).toBe('Request_ResourceNotFound');
    // It is gone from the groups that contained it, and its addresses are free for a cloud group.
    const allStaff = await t.invoke('Get-DistributionGroupMember', { Identity: 'allstaff@contoso.com' });
    expect(allStaff.json.value.map((m: { Name: string }) => m.Name)).not.toContain('Sales');
    const created = await t.invoke('New-DistributionGroup', {
      Name: 'Sales',
      PrimarySmtpAddress: 'sales@contoso.com',
    });
    expect(created.status, created.text).toBe(200);
  });

  it('leaves a converted (cloud-managed) group alone', async () => {
    const id = edoid('groups.contractors');
    const patch = await t.graph('PATCH', `/beta/groups/${id}/onPremisesSyncBehavior`, {
      isCloudManaged: true,
    });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.json).toMatchObject({ id, isCloudManaged: true });
    const behaviour = await t.graph('GET', `/beta/groups/${id}/onPremisesSyncBehavior`);
    expect(behaviour.json.isCloudManaged).toBe(true);
    expect((await t.graph('GET', `/v1.0/groups/${id}`)).json.onPremisesSyncEnabled).toBeNull();
    // Now managed in Exchange Online:
    const edit = await t.invoke('Set-DistributionGroup', {
      Identity: id,
      CustomAttribute5: 'cloud',
      BypassSecurityGroupManagerCheck: true,
    });
    expect(edit.status, edit.text).toBe(200);
    // AD changes and even leaving scope no longer reach it.
    await ldap((c) =>
      c.modify(objects['groups.contractors']!.dn, [replace('displayName', 'Contractors (AD edit)')]),
    );
    await ldap((c) =>
      c.modifyDN(objects['groups.contractors']!.dn, `CN=Contractors,${objects['ous.nonSync']!.dn}`),
    );
    const cycle = await sim.runSync(t.tenantId);
    expect(cycle.deleted).toEqual([]);
    const g = await t.invoke('Get-DistributionGroup', { Identity: id });
    expect(g.status).toBe(200);
    expect(g.json.value[0].IsDirSynced).toBe(false);
    expect(g.json.value[0].DisplayName).toBe('Contractors');
    expect(g.json.value[0].CustomAttribute5).toBe('cloud');
  });

  it('stops a cycle that would delete more than the threshold, and exports nothing', async () => {
    const before = Object.keys(sim.tenant(t.tenantId).recipients).length;
    sim.configureSync(t.tenantId, syncConfig([objects['ous.groups']!.dn]));
    const stopped = await sim.runSync(t.tenantId);
    expect(stopped.status).toBe('stoppedDeletionThreshold');
    expect(stopped.pendingDeletions).toBeGreaterThan(500);
    expect(stopped.deleted).toEqual([]);
    expect(Object.keys(sim.tenant(t.tenantId).recipients).length).toBe(before);
    const alice = await t.invoke('Get-Recipient', { Identity: 'alice@contoso.com' });
    expect(alice.status).toBe(200);
    sim.configureSync(t.tenantId, syncConfig([objects['ous.contoso']!.dn]));
  });

  it('runs a cycle when the Cloud Sync job is started through Graph', async () => {
    const { servicePrincipalId, jobId } = sim.tenant(t.tenantId).cloudSyncJob;
    const cycles = sim.syncStatus(t.tenantId)!['cycles'] as number;
    const res = await t.graph(
      'POST',
      `/v1.0/servicePrincipals/${servicePrincipalId}/synchronization/jobs/${jobId}/start`,
    );
    expect(res.status, res.text).toBe(204);
    expect(sim.syncStatus(t.tenantId)!['cycles']).toBe(cycles + 1);
    const wrong = await t.graph(
      'POST',
      `/v1.0/servicePrincipals/${servicePrincipalId}/synchronization/jobs/nope/start`,
    );
    expect(wrong.status).toBe(404);
  });

  it('runs cycles on a schedule when an interval is configured', async () => {
    sim.configureSync(t.tenantId, syncConfig([objects['ous.contoso']!.dn], { intervalSeconds: 1 }));
    const cycles = () => sim.syncStatus(t.tenantId)!['cycles'] as number;
    for (let i = 0; i < 200 && cycles() < 1; i++) await new Promise((r) => setTimeout(r, 100));
    expect(cycles()).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(sim.syncStatus(t.tenantId))).not.toContain(env.bindPassword);
    sim.configureSync(t.tenantId, syncConfig([objects['ous.contoso']!.dn]));
  });
  it('stamps the routing-domain address only while stampRoutingAddress is on (the default)', async () => {
    // Executives without the routing address in AD (no hybrid email address policy applied to it).
    const dn = objects['groups.execs']!.dn;
    const proxies = await ldap(async (c) => {
      const { searchEntries } = await c.search(dn, { scope: 'base', attributes: ['proxyAddresses'] });
      return ([] as string[]).concat(searchEntries[0]!['proxyAddresses'] as string | string[]);
    });
    const withoutRouting = proxies.filter((a) => !/\.mail\.onmicrosoft\.com$/i.test(a));
    await ldap((c) =>
      c.modify(dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'proxyAddresses', values: withoutRouting }),
        }),
      ]),
    );
    await sim.runSync(t.tenantId);
    // A tenant of its own (in a second simulator, so this one keeps a single synced tenant) syncing the
    // same tree without the stamp: only what AD holds, plus the initial-domain address Exchange Online adds.
    const otherSim = await CloudSim.start();
    const other = await setupTenant(otherSim, 'northwind');
    otherSim.configureSync(
      other.tenantId,
      syncConfig([objects['ous.contoso']!.dn], { stampRoutingAddress: false }),
    );
    expect((await otherSim.runSync(other.tenantId)).status).toBe('success');
    const identity = objects['groups.execs']!.attributes['mail']![0]!;
    const plain = (await other.invoke('Get-DistributionGroup', { Identity: identity })).json.value[0];
    expect(plain.EmailAddresses).toEqual(
      expect.arrayContaining([expect.stringMatching(/@northwind\.onmicrosoft\.com$/)]),
    );
    expect(plain.EmailAddresses.filter((a: string) => /\.mail\.onmicrosoft\.com$/i.test(a))).toEqual([]);
    await otherSim.stop();
    const stamped = (await t.invoke('Get-DistributionGroup', { Identity: identity })).json.value[0];
    expect(
      stamped.EmailAddresses.filter((a: string) => /@contoso\.mail\.onmicrosoft\.com$/i.test(a)),
    ).toHaveLength(1);
  });
});

describe('asynchronous sync (as Entra Connect)', () => {
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 600; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting until ${what}`);
  };
  const objectId = async (address: string): Promise<string> =>
    (await t.invoke('Get-DistributionGroup', { Identity: address })).json.value[0].ExternalDirectoryObjectId;
  const control = (method: string, path: string, body: unknown = {}) =>
    request(sim, method, `${sim.url}/_sim/tenants/${t.tenantId}${path}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('the trigger answers at once; a deletion leaves Graph, then Exchange; a straggler holds only itself', async () => {
    const contoso = objects['ous.contoso']!.dn;
    const nonSync = objects['ous.nonSync']!.dn;
    sim.configureSync(
      t.tenantId,
      syncConfig([contoso], {
        timing: {
          mode: 'async',
          cycleMs: 2000,
          graphDelayMs: 0,
          graphJitterMs: 0,
          exchangeDelayMs: 0,
          exchangeJitterMs: 300,
        },
      }),
    );
    const boardId = await objectId('board@contoso.com');
    const partnersId = await objectId('partners@contoso.com');
    const before = sim.snapshot();
    // A straggler by rule, through the control plane: Board's deletion reaches Exchange ten minutes late.
    const rule = await control('POST', '/sync/stragglers', {
      match: { dn: 'CN=Board,' },
      exchangeDelayMs: 600_000,
    });
    expect(rule.status, rule.text).toBe(200);
    expect(rule.json.stragglers).toHaveLength(1);
    await ldap(async (c) => {
      await c.modifyDN(objects['groups.board']!.dn, `CN=Board,${nonSync}`);
      await c.modifyDN(objects['groups.partners']!.dn, `CN=Partners,${nonSync}`);
    });

    const accepted = await request(sim, 'POST', `${sim.url}/_sim/sync/run`, {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(accepted.status, accepted.text).toBe(202);
    expect(accepted.json).toMatchObject({ tenantId: t.tenantId, status: 'started' });
    // Accepted, not exported: both groups are still everywhere.
    expect((await t.graph('GET', `/v1.0/groups/${boardId}`)).status).toBe(200);
    expect((await t.invoke('Get-Recipient', { Identity: partnersId })).status).toBe(200);
    // While it runs, a connector configured to refuse answers "busy" (Start-ADSyncSyncCycle: "… AAD is busy.").
    expect((await control('PUT', '/sync/timing', { whenBusy: 'refuse' })).status).toBe(200);
    const busy = await request(sim, 'POST', `${sim.url}/_sim/sync/run`, { body: '{}' });
    expect(busy.status).toBe(409);
    expect(busy.json.error.message).toMatch(/AAD is busy/);
    await control('PUT', '/sync/timing', { whenBusy: 'queue' });

    await until(
      'Partners has left Exchange',
      async () => (await t.invoke('Get-Recipient', { Identity: partnersId })).status === 404,
    );
    expect((await t.graph('GET', `/v1.0/groups/${partnersId}`)).status).toBe(404);
    // Board is gone from Graph but, as a straggler, still in Exchange (holding its addresses).
    expect((await t.graph('GET', `/v1.0/groups/${boardId}`)).status).toBe(404);
    const list = await t.graph('GET', `/v1.0/groups?$filter=mail eq 'board@contoso.com'`);
    expect(list.json.value).toEqual([]);
    const board = await t.invoke('Get-Recipient', { Identity: boardId });
    expect(board.status).toBe(200);
    expect(board.json.value[0].IsDirSynced).toBe(true);
    const status = await request(sim, 'GET', `${sim.url}/_sim/tenants/${t.tenantId}/sync`);
    expect(status.json.pendingDeletions).toEqual([
      expect.objectContaining({ name: 'Board', externalDirectoryObjectId: boardId, goneFromGraph: true }),
    ]);
    expect(status.json.lastCycle.deleted.map((d: { name: string }) => d.name).sort()).toEqual([
      'Board',
      'Partners',
    ]);
    expect(status.json.lastCycle.deletionSchedule).toHaveLength(2);

    // A restore drops the deletions still on their way (and Graph shows the restored group again).
    sim.restore(before);
    expect(sim.syncStatus(t.tenantId)!['pendingDeletions']).toEqual([]);
    expect((await t.graph('GET', `/v1.0/groups/${boardId}`)).status).toBe(200);
    await ldap(async (c) => {
      await c.modifyDN(`CN=Board,${nonSync}`, objects['groups.board']!.dn);
      await c.modifyDN(`CN=Partners,${nonSync}`, objects['groups.partners']!.dn);
    });
    sim.configureSync(t.tenantId, syncConfig([contoso]));
  });
});
