// InvokeCommand contract: gateway checks, cmdlets with their documented parameters, identity
// resolution, GenericHashTable, paging, error shape and every documented refusal.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudSim } from '../src/index.js';
import { cmdletError, contoso, setupTenant, tokenFor, type TestTenant } from './helpers.js';

let sim: CloudSim;
let t: TestTenant;
let baseline: string;
const bypass = { BypassSecurityGroupManagerCheck: true };

beforeAll(async () => {
  sim = await CloudSim.start();
  t = await setupTenant(sim);
  sim.seedRecipients(t.tenantId, [
    {
      ...contoso.alice,
      emailAddresses: [
        'SMTP:alice@contoso.com',
        'smtp:a.anders@contoso.com',
        'X500:/o=Contoso/ou=Exchange Administrative Group/cn=Recipients/cn=alice',
      ],
    },
    contoso.bob,
    contoso.erin,
    contoso.paul,
    { ...contoso.marketing, members: ['alice', 'bob'], settings: { ManagedBy: ['alice'] } },
    { ...contoso.execs, members: ['alice'], settings: { ManagedBy: ['alice'] } },
    contoso.salesPeople,
    contoso.projectX,
    { type: 'User', name: 'Frank Fischer', primarySmtpAddress: 'frank@contoso.com' },
  ]);
  baseline = sim.snapshot();
});
beforeEach(() => {
  sim.restore(baseline);
  sim.clearFaults(t.tenantId);
  sim.setThrottling(t.tenantId, { requestsPerWindow: 0, windowSeconds: 60, maxConcurrent: 0 });
  sim.setLatency('exchange', { fixedMs: 0, jitterMs: 0 });
});
afterAll(async () => sim.stop());

async function newGroup(name: string, extra: Record<string, unknown> = {}) {
  const res = await t.invoke('New-DistributionGroup', { Name: name, ...extra });
  expect(res.status, res.text).toBe(200);
  return res.json.value[0];
}

describe('gateway', () => {
  it('refuses a token for another audience, tenant, or without the app role', async () => {
    const res = await t.invoke('Get-AcceptedDomain', {}, { token: t.graphToken });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    const other = sim.createTenant({ name: 'fabrikam' });
    sim.registerApp(other.id, { certificates: [t.cert.certPem], clientId: t.clientId });
    const foreign = await tokenFor(sim, other.id, t.clientId, t.cert, 'https://outlook.office365.com');
    expect((await t.invoke('Get-AcceptedDomain', {}, { token: foreign })).status).toBe(401);
    expect((await t.invoke('Get-AcceptedDomain', {}, { token: 'garbage' })).status).toBe(401);
  });

  it('refuses an app without an Exchange role (403) and limits a Global Reader to Get- cmdlets', async () => {
    const noRole = sim.registerApp(t.tenantId, { certificates: [t.cert.certPem], directoryRoles: [] });
    const token = await tokenFor(sim, t.tenantId, noRole.clientId, t.cert, 'https://outlook.office365.com');
    const denied = await t.invoke('Get-AcceptedDomain', {}, { token });
    expect(denied.status).toBe(403);
    expect(cmdletError(denied).type).toBe(
      'Microsoft.Exchange.Management.PSDirectInvoke.UnauthorizedAccessException',
    );
    const reader = sim.registerApp(t.tenantId, {
      certificates: [t.cert.certPem],
      directoryRoles: ['Global Reader'],
    });
    const readerToken = await tokenFor(
      sim,
      t.tenantId,
      reader.clientId,
      t.cert,
      'https://outlook.office365.com',
    );
    expect((await t.invoke('Get-Recipient', { Identity: 'alice' }, { token: readerToken })).status).toBe(200);
    const write = await t.invoke(
      'Set-Mailbox',
      { Identity: 'alice', CustomAttribute1: 'x' },
      { token: readerToken },
    );
    expect(cmdletError(write).type).toBe('System.Management.Automation.CommandNotFoundException');
  });

  it('grants the session from Exchange role groups holding the service principal', async () => {
    const recipients = sim.registerApp(t.tenantId, {
      certificates: [t.cert.certPem],
      directoryRoles: [],
      exchangeRoleGroups: ['Recipient Management'],
    });
    const token = await tokenFor(
      sim,
      t.tenantId,
      recipients.clientId,
      t.cert,
      'https://outlook.office365.com',
    );
    expect(
      (await t.invoke('Set-Mailbox', { Identity: 'alice', CustomAttribute1: 'x' }, { token })).status,
    ).toBe(200);
    const viewer = sim.registerApp(t.tenantId, {
      certificates: [t.cert.certPem],
      directoryRoles: [],
      exchangeRoleGroups: ['View-Only Organization Management'],
    });
    const viewerToken = await tokenFor(
      sim,
      t.tenantId,
      viewer.clientId,
      t.cert,
      'https://outlook.office365.com',
    );
    expect((await t.invoke('Get-Mailbox', { Identity: 'alice' }, { token: viewerToken })).status).toBe(200);
    expect(
      cmdletError(
        await t.invoke('Set-Mailbox', { Identity: 'alice', CustomAttribute1: 'y' }, { token: viewerToken }),
      ).type,
    ).toBe('System.Management.Automation.CommandNotFoundException');
    expect(() =>
      sim.registerApp(t.tenantId, {
        certificates: [t.cert.certPem],
        exchangeRoleGroups: ['Hygiene Management' as never],
      }),
    ).toThrow(/Unknown Exchange role group/);
  });

  it('checks X-AnchorMailbox when present and counts calls without it', async () => {
    const bad = await t.invoke(
      'Get-AcceptedDomain',
      {},
      {
        headers: {
          'x-anchormailbox': 'APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@other.onmicrosoft.com',
        },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('ErrorIncorrectRoutingHint');
    const upn = await t.invoke(
      'Get-AcceptedDomain',
      {},
      {
        headers: {
          'x-anchormailbox':
            'UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com',
        },
      },
    );
    expect(upn.status).toBe(200);
    sim.resetCalls(t.tenantId);
    const url = `${sim.url}/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand`;
    const { request } = await import('./helpers.js');
    const res = await request(sim, 'POST', url, {
      headers: { authorization: `Bearer ${t.exoToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ CmdletInput: { CmdletName: 'Get-AcceptedDomain' } }),
    });
    expect(res.status).toBe(200);
    expect(sim.calls(t.tenantId).withoutAnchorMailbox).toBe(1);
  });

  it('answers an unknown cmdlet, a malformed body and an unknown parameter in the documented shape', async () => {
    const unknown = await t.invoke('Get-Nothing');
    expect(unknown.status).toBe(400);
    expect(cmdletError(unknown).type).toBe('System.Management.Automation.CommandNotFoundException');
    const param = await t.invoke('Get-Recipient', { Identity: 'alice', Colour: 'blue' });
    expect(param.status).toBe(400);
    expect(param.json.error.message).toBe('Error executing cmdlet');
    expect(cmdletError(param)).toMatchObject({
      id: 'NamedParameterNotFound',
      type: 'System.Management.Automation.ParameterBindingException',
    });
    expect(cmdletError(param).message).toContain("'Colour'");
    const missing = await t.invoke('Get-DistributionGroupMember', {});
    expect(cmdletError(missing).id).toBe('MissingMandatoryParameter');
  });
});

describe('identity resolution', () => {
  it('finds a recipient by EDOID, Guid, any proxy address, alias, name, DN and LegacyExchangeDN', async () => {
    const alice = (await t.invoke('Get-Recipient', { Identity: 'alice@contoso.com' })).json.value[0];
    const forms = [
      alice.ExternalDirectoryObjectId,
      alice.Guid,
      'a.anders@contoso.com',
      'smtp:A.Anders@contoso.com',
      'X500:/o=Contoso/ou=Exchange Administrative Group/cn=Recipients/cn=alice',
      'alice',
      'Alice Anders',
      alice.DistinguishedName,
      alice.LegacyExchangeDN,
    ];
    for (const identity of forms) {
      const res = await t.invoke('Get-Recipient', { Identity: identity });
      expect(res.status, `${identity}: ${res.text}`).toBe(200);
      expect(res.json.value[0].Guid).toBe(alice.Guid);
    }
    const missing = await t.invoke('Get-Recipient', { Identity: 'nobody@contoso.com' });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('NotFound');
    expect(cmdletError(missing)).toMatchObject({
      id: 'Ex6F9304',
      type: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    });
    expect(missing.headers['x-exceptiontype']).toBe('ManagementObjectNotFoundException');
  });

  it('reports an ambiguous identity', async () => {
    // One recipient's Name is another one's Alias.
    sim.seedRecipients(t.tenantId, [
      { type: 'MailContact', name: 'alice', alias: 'alice2', primarySmtpAddress: 'alice2@fabrikam.example' },
    ]);
    const res = await t.invoke('Get-Recipient', { Identity: 'alice' });
    expect(res.status).toBe(400);
    expect(cmdletError(res).type).toBe(
      'Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException',
    );
  });

  it('scopes each cmdlet to its recipient types', async () => {
    expect((await t.invoke('Get-DistributionGroup', { Identity: 'alice' })).status).toBe(404);
    expect(
      (await t.invoke('Set-DistributionGroup', { Identity: 'alice', CustomAttribute1: 'x', ...bypass }))
        .status,
    ).toBe(404);
    expect((await t.invoke('Get-Recipient', { Identity: 'Frank Fischer' })).status).toBe(404);
    expect(
      (await t.invoke('Get-User', { Identity: 'frank@contoso.com' })).json.value[0].RecipientTypeDetails,
    ).toBe('User');
  });
});

describe('reads', () => {
  it('Get-Recipient / Get-DistributionGroup with -Filter and -RecipientTypeDetails', async () => {
    const marketing = (await t.invoke('Get-DistributionGroup', { Identity: 'marketing' })).json.value[0];
    const byEdoid = await t.invoke('Get-Recipient', {
      Filter: `ExternalDirectoryObjectId -eq '${marketing.ExternalDirectoryObjectId}'`,
    });
    expect(byEdoid.json.value.map((r: { Name: string }) => r.Name)).toEqual(['Marketing']);
    const byAddress = await t.invoke('Get-Recipient', {
      Filter: "EmailAddresses -eq 'a.anders@contoso.com'",
    });
    expect(byAddress.json.value.map((r: { Name: string }) => r.Name)).toEqual(['Alice Anders']);
    const quirk = await t.invoke('Get-Recipient', {
      Filter: "PrimarySmtpAddress -eq 'a.anders@contoso.com'",
    });
    expect(quirk.json.value.map((r: { Name: string }) => r.Name)).toEqual(['Alice Anders']);
    const alice = (await t.invoke('Get-Recipient', { Identity: 'alice' })).json.value[0];
    const memberOf = await t.invoke('Get-Recipient', {
      Filter: `(Members -eq '${alice.DistinguishedName}') -and (IsDirSynced -eq $false)`,
    });
    expect(memberOf.json.value.map((r: { Name: string }) => r.Name).sort()).toEqual(['Execs', 'Marketing']);
    const managed = await t.invoke('Get-DistributionGroup', {
      Filter: `ManagedBy -eq '${alice.DistinguishedName}'`,
      RecipientTypeDetails: ['MailUniversalSecurityGroup'],
    });
    expect(managed.json.value.map((r: { Name: string }) => r.Name)).toEqual(['Execs']);
    const like = await t.invoke('Get-Recipient', {
      Filter: "Name -like 'Ali*' -and -not (RecipientType -eq 'MailContact')",
    });
    expect(like.json.value.map((r: { Name: string }) => r.Name)).toEqual(['Alice Anders']);
    const bad = await t.invoke('Get-Recipient', { Filter: "Colour -eq 'blue'" });
    expect(bad.status).toBe(400);
  });

  it('renders Exchange property names and values', async () => {
    const g = (await t.invoke('Get-DistributionGroup', { Identity: 'marketing@contoso.com' })).json.value[0];
    expect(g).toMatchObject({
      Name: 'Marketing',
      Alias: 'marketing',
      PrimarySmtpAddress: 'marketing@contoso.com',
      RecipientType: 'MailUniversalDistributionGroup',
      RecipientTypeDetails: 'MailUniversalDistributionGroup',
      IsDirSynced: false,
      ManagedBy: ['Alice Anders'],
      RequireSenderAuthenticationEnabled: true,
      MemberJoinRestriction: 'Closed',
      MemberDepartRestriction: 'Open',
      HiddenFromAddressListsEnabled: false,
      CustomAttribute1: '',
      ExtensionCustomAttribute1: [],
    });
    expect(g.DistinguishedName).toBe(
      'CN=Marketing,OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM',
    );
    const members = await t.invoke('Get-DistributionGroupMember', { Identity: g.ExternalDirectoryObjectId });
    expect(members.json.value.map((m: { Name: string }) => m.Name)).toEqual(['Alice Anders', 'Bob Berg']);
    const sel = await t.invoke(
      'Get-DistributionGroup',
      { Identity: 'marketing' },
      { url: `${sim.url}/adminapi/beta/${t.tenantId}/InvokeCommand?$select=Name,Guid` },
    );
    expect(Object.keys(sel.json.value[0]).sort()).toEqual(['Guid', 'Name']);
  });

  it('Get-AcceptedDomain, Get-OutboundConnector, Get-DynamicDistributionGroup, Get-UnifiedGroup, Get-Mailbox/MailUser/MailContact', async () => {
    const domains = (await t.invoke('Get-AcceptedDomain')).json.value;
    expect(domains.map((d: { DomainName: string }) => d.DomainName)).toEqual([
      'contoso.com',
      'contoso.onmicrosoft.com',
      'contoso.mail.onmicrosoft.com',
    ]);
    expect(domains.find((d: { InitialDomain: boolean }) => d.InitialDomain).DomainName).toBe(
      'contoso.onmicrosoft.com',
    );
    expect((await t.invoke('Get-AcceptedDomain', { Identity: 'contoso.mail.onmicrosoft.com' })).status).toBe(
      200,
    );
    expect((await t.invoke('Get-AcceptedDomain', { Identity: 'nope.example' })).status).toBe(404);
    const connectors = (await t.invoke('Get-OutboundConnector')).json.value;
    expect(connectors[0]).toMatchObject({
      Name: 'To on-premises',
      RouteAllMessagesViaOnPremises: false,
      ConnectorType: 'OnPremises',
    });
    expect(
      (await t.invoke('Get-DynamicDistributionGroup', { Identity: 'salespeople' })).json.value[0]
        .RecipientFilter,
    ).toBe("CustomAttribute1 -eq 'Sales'");
    expect(
      (await t.invoke('Get-UnifiedGroup', { Identity: 'projectx' })).json.value[0].RecipientTypeDetails,
    ).toBe('GroupMailbox');
    expect((await t.invoke('Get-Mailbox', {})).json.value.map((m: { Name: string }) => m.Name)).toEqual([
      'Alice Anders',
      'Bob Berg',
    ]);
    expect((await t.invoke('Get-MailUser', { Identity: 'erin' })).json.value[0].ExternalEmailAddress).toBe(
      'SMTP:erin@fabrikam.example',
    );
    expect((await t.invoke('Get-MailContact', {})).json.value.map((m: { Name: string }) => m.Name)).toEqual([
      'Paul Partner',
    ]);
    const group = (await t.invoke('Get-Group', { Identity: 'marketing@contoso.com' })).json.value[0];
    expect(group).toMatchObject({
      Name: 'Marketing',
      Members: ['Alice Anders', 'Bob Berg'],
      ManagedBy: ['Alice Anders'],
      SidHistory: [],
    });
    expect(group.Sid).toMatch(/^S-1-5-21-/);
    expect((await t.invoke('Get-Group', { Identity: 'alice' })).status).toBe(404);
  });
});

describe('distribution group writes', () => {
  it('New-DistributionGroup with the documented parameters', async () => {
    const g = await newGroup('Temp 20240606T1209514110', {
      Alias: 'temp1',
      DisplayName: 'Temporary',
      PrimarySmtpAddress: 'temp1@contoso.com',
      Type: 'Security',
      ManagedBy: ['alice', 'bob'],
      CopyOwnerToMember: true,
      Members: ['erin', 'paul@fabrikam.example'],
      ModeratedBy: ['bob'],
      ModerationEnabled: true,
      SendModerationNotifications: 'Internal',
      MemberJoinRestriction: 'Closed',
      MemberDepartRestriction: 'Closed',
      RequireSenderAuthenticationEnabled: false,
      IgnoreNamingPolicy: true,
      BypassNestedModerationEnabled: true,
      Notes: 'created by a test',
    });
    expect(g).toMatchObject({
      RecipientTypeDetails: 'MailUniversalSecurityGroup',
      GroupType: 'Universal, SecurityEnabled',
      ModeratedBy: ['Bob Berg'],
      ModerationEnabled: true,
      SendModerationNotifications: 'Internal',
      BypassNestedModerationEnabled: true,
      RequireSenderAuthenticationEnabled: false,
    });
    expect(g.EmailAddresses).toEqual(['SMTP:temp1@contoso.com', 'smtp:temp1@contoso.onmicrosoft.com']);
    expect(g.ManagedBy).toEqual(['Alice Anders', 'Bob Berg']);
    const members = (await t.invoke('Get-DistributionGroupMember', { Identity: g.Guid })).json.value.map(
      (m: { Name: string }) => m.Name,
    );
    expect(members.sort()).toEqual(['Alice Anders', 'Bob Berg', 'Erin Evans', 'Paul Partner']);
    const roomList = await newGroup('Rooms', { RoomList: true });
    expect(roomList.RecipientTypeDetails).toBe('RoomList');
    expect(roomList.PrimarySmtpAddress).toBe('Rooms@contoso.com'); // default domain
  });

  it('Set-DistributionGroup single values and GenericHashTable Add/Remove', async () => {
    const g = await newGroup('Ops', { PrimarySmtpAddress: 'ops@contoso.com', ManagedBy: ['alice'] });
    const res = await t.invoke('Set-DistributionGroup', {
      Identity: g.ExternalDirectoryObjectId,
      ...bypass,
      EmailAddresses: {
        '@odata.type': '#Exchange.GenericHashTable',
        Add: ['smtp:operations@contoso.com', 'X500:/o=Contoso/cn=ops'],
      },
      HiddenFromAddressListsEnabled: true,
      ManagedBy: { '@odata.type': '#Exchange.GenericHashTable', add: 'bob' },
      AcceptMessagesOnlyFrom: ['alice'],
      AcceptMessagesOnlyFromDLMembers: { '@odata.type': '#Exchange.GenericHashTable', Add: ['execs'] },
      RejectMessagesFromSendersOrMembers: ['paul@fabrikam.example'],
      BypassModerationFromSendersOrMembers: ['bob'],
      GrantSendOnBehalfTo: ['bob'],
      MemberJoinRestriction: 'ApprovalRequired',
      MemberDepartRestriction: 'Closed',
      ReportToManagerEnabled: true,
      ReportToOriginatorEnabled: false,
      SendOofMessageToOriginatorEnabled: true,
      CustomAttribute7: 'seven',
      ExtensionCustomAttribute2: ['a', 'b'],
      MailTip: 'Ops team',
      SimpleDisplayName: 'Ops',
      'ExtensionCustomAttribute2@odata.type': '#Collection(String)',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.value).toEqual([]);
    const after = (await t.invoke('Get-DistributionGroup', { Identity: 'operations@contoso.com' })).json
      .value[0];
    expect(after.EmailAddresses).toEqual([
      'SMTP:ops@contoso.com',
      'smtp:Ops@contoso.onmicrosoft.com',
      'smtp:operations@contoso.com',
      'X500:/o=Contoso/cn=ops',
    ]);
    expect(after).toMatchObject({
      HiddenFromAddressListsEnabled: true,
      ManagedBy: ['Alice Anders', 'Bob Berg'],
      AcceptMessagesOnlyFrom: ['Alice Anders'],
      AcceptMessagesOnlyFromDLMembers: ['Execs'],
      AcceptMessagesOnlyFromSendersOrMembers: ['Alice Anders', 'Execs'],
      RejectMessagesFromSendersOrMembers: ['Paul Partner'],
      GrantSendOnBehalfTo: ['Bob Berg'],
      MemberJoinRestriction: 'ApprovalRequired',
      ReportToManagerEnabled: true,
      SendOofMessageToOriginatorEnabled: true,
      CustomAttribute7: 'seven',
      ExtensionCustomAttribute2: ['a', 'b'],
      MailTip: '<html><body>Ops team</body></html>',
    });
    const remove = await t.invoke('Set-DistributionGroup', {
      Identity: 'ops',
      ...bypass,
      EmailAddresses: {
        '@odata.type': '#Exchange.GenericHashTable',
        Remove: ['smtp:operations@contoso.com'],
      },
      ManagedBy: { '@odata.type': '#Exchange.GenericHashTable', Remove: ['alice'] },
    });
    expect(remove.status, remove.text).toBe(200);
    const again = (await t.invoke('Get-DistributionGroup', { Identity: 'ops' })).json.value[0];
    expect(again.EmailAddresses).not.toContain('smtp:operations@contoso.com');
    expect(again.ManagedBy).toEqual(['Bob Berg']);
    // Changing the primary keeps the old one as a secondary; Name/Alias/DisplayName are settable.
    await t.invoke('Set-DistributionGroup', {
      Identity: 'ops',
      ...bypass,
      PrimarySmtpAddress: 'team-ops@contoso.com',
      Name: 'Operations',
      DisplayName: 'Operations Team',
    });
    const renamed = (await t.invoke('Get-DistributionGroup', { Identity: 'team-ops@contoso.com' })).json
      .value[0];
    expect(renamed.Name).toBe('Operations');
    expect(renamed.EmailAddresses).toEqual(
      expect.arrayContaining(['SMTP:team-ops@contoso.com', 'smtp:ops@contoso.com']),
    );
    // A write that changes nothing succeeds with Exchange's warning.
    const noop = await t.invoke('Set-DistributionGroup', {
      Identity: 'Operations',
      ...bypass,
      DisplayName: 'Operations Team',
    });
    expect(noop.status).toBe(200);
    expect(noop.json['@adminapi.warnings']).toEqual([
      "The command completed successfully but no settings of 'NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/Operations' have been modified.",
    ]);
  });

  it('membership: Update (replace), Add, Remove', async () => {
    const g = await newGroup('Crew');
    expect(
      (
        await t.invoke('Update-DistributionGroupMember', {
          Identity: 'Crew',
          Members: ['alice', 'bob', 'erin'],
          ...bypass,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await t.invoke('Add-DistributionGroupMember', {
          Identity: g.Guid,
          Member: 'paul@fabrikam.example',
          ...bypass,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await t.invoke('Remove-DistributionGroupMember', {
          Identity: g.Guid,
          Member: 'bob',
          ...bypass,
          Confirm: false,
        })
      ).status,
    ).toBe(200);
    const names = (await t.invoke('Get-DistributionGroupMember', { Identity: 'Crew' })).json.value.map(
      (m: { Name: string }) => m.Name,
    );
    expect(names).toEqual(['Alice Anders', 'Erin Evans', 'Paul Partner']);
    const dup = await t.invoke('Add-DistributionGroupMember', {
      Identity: 'Crew',
      Member: 'alice',
      ...bypass,
    });
    expect(cmdletError(dup).type).toBe('Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException');
    const absent = await t.invoke('Remove-DistributionGroupMember', {
      Identity: 'Crew',
      Member: 'bob',
      ...bypass,
    });
    expect(cmdletError(absent).type).toBe('Microsoft.Exchange.Management.Tasks.MemberNotFoundException');
    const unknown = await t.invoke('Add-DistributionGroupMember', {
      Identity: 'Crew',
      Member: 'ghost@contoso.com',
      ...bypass,
    });
    expect(unknown.status).toBe(404);
    expect(cmdletError(unknown).id).toBe('Ex94914C');
    const plainUser = await t.invoke('Add-DistributionGroupMember', {
      Identity: 'Crew',
      Member: 'frank@contoso.com',
      ...bypass,
    });
    expect(plainUser.status).toBe(404);
    expect(
      (await t.invoke('Update-DistributionGroupMember', { Identity: 'Crew', Members: [], ...bypass })).status,
    ).toBe(200);
    expect((await t.invoke('Get-DistributionGroupMember', { Identity: 'Crew' })).json.value).toEqual([]);
  });

  it('Remove-DistributionGroup removes the group and every reference to it', async () => {
    await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      ...bypass,
      AcceptMessagesOnlyFromDLMembers: ['execs'],
    });
    await t.invoke('Add-RecipientPermission', {
      Identity: 'marketing',
      Trustee: 'execs',
      AccessRights: ['SendAs'],
      Confirm: false,
    });
    expect(
      (await t.invoke('Remove-DistributionGroup', { Identity: 'execs', ...bypass, Confirm: false })).status,
    ).toBe(200);
    expect((await t.invoke('Get-Recipient', { Identity: 'execs' })).status).toBe(404);
    const m = (await t.invoke('Get-DistributionGroup', { Identity: 'marketing' })).json.value[0];
    expect(m.AcceptMessagesOnlyFromSendersOrMembers).toEqual([]);
    expect((await t.invoke('Get-RecipientPermission', { Identity: 'marketing' })).json.value).toEqual([]);
  });
});

describe('refusals', () => {
  it('an address already used names its holder (ProxyAddressExistsException)', async () => {
    const res = await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      ...bypass,
      EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Add: ['SMTP:A.Anders@contoso.com'] },
    });
    expect(res.status).toBe(400);
    const e = cmdletError(res);
    expect(e.type).toBe('Microsoft.Exchange.Data.Directory.ProxyAddressExistsException');
    expect(e.message).toContain(
      'Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/Alice Anders',
    );
    const create = await t.invoke('New-DistributionGroup', {
      Name: 'Clash',
      PrimarySmtpAddress: 'bob@contoso.com',
    });
    expect(cmdletError(create).type).toBe('Microsoft.Exchange.Data.Directory.ProxyAddressExistsException');
    expect((await t.invoke('Get-Recipient', { Identity: 'Clash' })).status).toBe(404);
  });

  it('names longer than 64 characters', async () => {
    const res = await t.invoke('New-DistributionGroup', { Name: 'x'.repeat(65) });
    expect(res.status).toBe(400);
    expect(cmdletError(res)).toMatchObject({
      id: 'ParameterArgumentValidationError',
      type: 'System.Management.Automation.ParameterBindingValidationException',
    });
    expect((await t.invoke('New-DistributionGroup', { Name: 'y'.repeat(64) })).status).toBe(200);
  });

  it('EmailAddresses together with PrimarySmtpAddress, and nothing changes', async () => {
    const res = await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      ...bypass,
      PrimarySmtpAddress: 'mkt@contoso.com',
      EmailAddresses: ['SMTP:mkt@contoso.com'],
      CustomAttribute1: 'changed?',
    });
    expect(res.status).toBe(400);
    expect(cmdletError(res).type).toBe('Microsoft.Exchange.Management.Tasks.RecipientTaskException');
    const g = (await t.invoke('Get-DistributionGroup', { Identity: 'marketing' })).json.value[0];
    expect(g.PrimarySmtpAddress).toBe('marketing@contoso.com');
    expect(g.CustomAttribute1).toBe('');
  });

  it('…SendersOrMembers together with …From/…DLMembers, Identity with Filter, a name already used', async () => {
    const mixed = await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      ...bypass,
      AcceptMessagesOnlyFromSendersOrMembers: ['alice'],
      AcceptMessagesOnlyFrom: ['bob'],
    });
    expect(cmdletError(mixed).id).toBe('Ex7C2D45');
    const both = await t.invoke('Get-Recipient', { Identity: 'alice', Filter: "Name -eq 'x'" });
    expect(cmdletError(both).id).toBe('Ex7C2D45');
    const taken = await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      ...bypass,
      Name: 'Execs',
    });
    expect(cmdletError(taken).type).toBe('Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException');
    expect((await t.invoke('New-DistributionGroup', { Name: 'execs' })).status).toBe(400);
  });

  it('ManagedBy that is not a security principal', async () => {
    for (const owner of ['paul@fabrikam.example', 'marketing']) {
      const res = await t.invoke('Set-DistributionGroup', {
        Identity: 'execs',
        ...bypass,
        ManagedBy: [owner],
      });
      expect(res.status).toBe(400);
      expect(cmdletError(res).message).toContain("isn't a security principal");
    }
    expect(
      (
        await t.invoke('Set-DistributionGroup', {
          Identity: 'marketing',
          ...bypass,
          ManagedBy: ['execs', 'erin'],
        })
      ).status,
    ).toBe(200);
    const none = await t.invoke('Set-DistributionGroup', { Identity: 'marketing', ...bypass, ManagedBy: [] });
    expect(cmdletError(none).message).toBe('A group must have at least one owner.');
  });

  it('more than 10,000 members in one call', async () => {
    const members = Array.from({ length: 10_001 }, (_, i) => `user${i}@contoso.com`);
    const res = await t.invoke('Update-DistributionGroupMember', {
      Identity: 'marketing',
      Members: members,
      ...bypass,
    });
    expect(res.status).toBe(400);
    expect(cmdletError(res).type).toBe('Microsoft.Exchange.Management.Tasks.RecipientTaskException');
    const create = await t.invoke('New-DistributionGroup', { Name: 'Huge', Members: members });
    expect(create.status).toBe(400);
  });

  it('group changes without BypassSecurityGroupManagerCheck', async () => {
    const res = await t.invoke('Set-DistributionGroup', { Identity: 'marketing', CustomAttribute1: 'x' });
    expect(res.status).toBe(403);
    expect(cmdletError(res).message).toContain('can only be performed by a manager of the group');
    expect(
      (await t.invoke('Add-DistributionGroupMember', { Identity: 'marketing', Member: 'erin' })).status,
    ).toBe(403);
  });

  it('an untagged add/remove object, a bad enum and a domain that is not accepted', async () => {
    const untagged = await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      ...bypass,
      EmailAddresses: { Add: ['smtp:m2@contoso.com'] },
    });
    expect(cmdletError(untagged).id).toBe('ParameterArgumentTransformationError');
    const badEnum = await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      ...bypass,
      MemberJoinRestriction: 'Sometimes',
    });
    expect(cmdletError(badEnum).id).toBe('ParameterArgumentTransformationError');
    const domain = await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      ...bypass,
      EmailAddresses: { '@odata.type': '#Exchange.GenericHashTable', Add: ['smtp:m@elsewhere.example'] },
    });
    expect(cmdletError(domain).type).toBe('Microsoft.Exchange.Data.DataValidationException');
  });
});

describe('other recipients and permissions', () => {
  it('Set-Mailbox, Set-MailUser, Set-MailContact, Set-DynamicDistributionGroup, Set-UnifiedGroup', async () => {
    expect(
      (
        await t.invoke('Set-Mailbox', {
          Identity: 'bob',
          GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', Add: ['execs'] },
          ForwardingAddress: 'marketing',
          DeliverToMailboxAndForward: true,
        })
      ).status,
    ).toBe(200);
    const bob = (await t.invoke('Get-Mailbox', { Identity: 'bob' })).json.value[0];
    expect(bob).toMatchObject({
      GrantSendOnBehalfTo: ['Execs'],
      ForwardingAddress: 'Marketing',
      DeliverToMailboxAndForward: true,
    });
    const fwd = (
      await t.invoke('Get-Mailbox', {
        Filter: `ForwardingAddress -eq '${(await t.invoke('Get-Recipient', { Identity: 'marketing' })).json.value[0].DistinguishedName}'`,
      })
    ).json.value;
    expect(fwd.map((m: { Name: string }) => m.Name)).toEqual(['Bob Berg']);
    expect(
      (await t.invoke('Set-MailUser', { Identity: 'erin', AcceptMessagesOnlyFromDLMembers: ['marketing'] }))
        .status,
    ).toBe(200);
    expect(
      (
        await t.invoke('Set-MailContact', {
          Identity: 'paul',
          RejectMessagesFromDLMembers: ['marketing'],
          CustomAttribute3: 'partner',
        })
      ).status,
    ).toBe(200);
    expect(
      (await t.invoke('Get-MailContact', { Identity: 'paul' })).json.value[0].RejectMessagesFromDLMembers,
    ).toEqual(['Marketing']);
    expect(
      (
        await t.invoke('Set-DynamicDistributionGroup', {
          Identity: 'salespeople',
          ManagedBy: 'bob',
          AcceptMessagesOnlyFromDLMembers: ['marketing'],
        })
      ).status,
    ).toBe(200);
    expect(
      (await t.invoke('Set-DynamicDistributionGroup', { Identity: 'salespeople', ManagedBy: 'alice' }))
        .status,
    ).toBe(200);
    expect(
      (await t.invoke('Get-DynamicDistributionGroup', { Identity: 'salespeople' })).json.value[0].ManagedBy,
    ).toEqual(['Alice Anders']);
    expect(
      (
        await t.invoke('Set-UnifiedGroup', {
          Identity: 'projectx',
          GrantSendOnBehalfTo: ['execs'],
          HiddenFromAddressListsEnabled: true,
        })
      ).status,
    ).toBe(200);
    expect((await t.invoke('Set-Mailbox', { Identity: 'marketing', CustomAttribute1: 'x' })).status).toBe(
      404,
    );
  });

  it('Send As: Get/Add/Remove-RecipientPermission', async () => {
    const add = await t.invoke('Add-RecipientPermission', {
      Identity: 'marketing',
      Trustee: 'execs',
      AccessRights: ['SendAs'],
      Confirm: false,
    });
    expect(add.status, add.text).toBe(200);
    expect(add.json.value[0]).toMatchObject({
      Identity: 'Marketing',
      Trustee: 'Execs',
      AccessRights: ['SendAs'],
      AccessControlType: 'Allow',
    });
    const byTrustee = await t.invoke('Get-RecipientPermission', {
      Trustee: 'execs',
      ResultSize: 'Unlimited',
    });
    expect(byTrustee.json.value.map((p: { Identity: string }) => p.Identity)).toEqual(['Marketing']);
    const dl = await t.invoke('Add-RecipientPermission', {
      Identity: 'alice',
      Trustee: 'marketing',
      AccessRights: ['SendAs'],
      Confirm: false,
    });
    expect(cmdletError(dl).message).toContain("isn't a security principal");
    const wrongRight = await t.invoke('Add-RecipientPermission', {
      Identity: 'alice',
      Trustee: 'bob',
      AccessRights: ['FullAccess'],
      Confirm: false,
    });
    expect(wrongRight.status).toBe(400);
    expect(
      (
        await t.invoke('Remove-RecipientPermission', {
          Identity: 'marketing',
          Trustee: 'execs',
          AccessRights: ['SendAs'],
          Confirm: false,
        })
      ).status,
    ).toBe(200);
    const again = await t.invoke('Remove-RecipientPermission', {
      Identity: 'marketing',
      Trustee: 'execs',
      AccessRights: ['SendAs'],
      Confirm: false,
    });
    expect(again.json['@adminapi.warnings'][0]).toContain("doesn't exist");
  });

  it('FullAccess: Get/Add/Remove-MailboxPermission', async () => {
    const add = await t.invoke('Add-MailboxPermission', {
      Identity: 'alice',
      User: 'execs',
      AccessRights: ['FullAccess'],
      InheritanceType: 'All',
      AutoMapping: false,
    });
    expect(add.status, add.text).toBe(200);
    const list = (await t.invoke('Get-MailboxPermission', { Identity: 'alice' })).json.value;
    expect(list.map((p: { User: string }) => p.User)).toEqual(['NT AUTHORITY\\SELF', 'Execs']);
    expect(list[1]).toMatchObject({ AccessRights: ['FullAccess'], IsInherited: false, Deny: false });
    expect(
      (
        await t.invoke('Remove-MailboxPermission', {
          Identity: 'alice',
          User: 'execs',
          AccessRights: ['FullAccess'],
          Confirm: false,
        })
      ).status,
    ).toBe(200);
    expect(
      (await t.invoke('Get-MailboxPermission', { Identity: 'alice', User: 'execs' })).json.value,
    ).toEqual([]);
    expect(
      (
        await t.invoke('Add-MailboxPermission', {
          Identity: 'marketing',
          User: 'bob',
          AccessRights: ['FullAccess'],
        })
      ).status,
    ).toBe(404);
  });

  it('folder rights: Get/Add/Remove-MailboxFolderPermission on <mailbox>:\\<folder>, security principals only', async () => {
    const add = await t.invoke('Add-MailboxFolderPermission', {
      Identity: 'alice:\\Calendar',
      User: 'execs',
      AccessRights: ['Editor'],
    });
    expect(add.status, add.text).toBe(200);
    const list = (await t.invoke('Get-MailboxFolderPermission', { Identity: 'alice:\\Calendar' })).json.value;
    expect(list.map((p: { User: string }) => p.User)).toEqual(['Default', 'Anonymous', 'Execs']);
    expect(list[2]).toMatchObject({ FolderName: 'Calendar', AccessRights: ['Editor'] });
    // The root and Inbox are folders of their own; -User narrows the list to that user.
    expect(
      (await t.invoke('Get-MailboxFolderPermission', { Identity: 'alice:\\', User: 'execs' })).json.value,
    ).toEqual([]);
    const again = await t.invoke('Add-MailboxFolderPermission', {
      Identity: 'alice:\\Calendar',
      User: 'execs',
      AccessRights: ['Reviewer'],
    });
    expect(again.status).toBe(400);
    expect(again.text).toContain('UserAlreadyExistsInPermissionEntryException');
    // A distribution group holds no rights; a folder the mailbox lacks is not found.
    const dl = await t.invoke('Add-MailboxFolderPermission', {
      Identity: 'alice:\\Inbox',
      User: 'marketing',
      AccessRights: ['Reviewer'],
    });
    expect(dl.status).toBe(400);
    expect(dl.text).toContain('security principal');
    expect(
      (await t.invoke('Get-MailboxFolderPermission', { Identity: 'alice:\\No Such Folder' })).status,
    ).toBe(404);
    expect(
      (
        await t.invoke('Remove-MailboxFolderPermission', {
          Identity: 'alice:\\Calendar',
          User: 'execs',
          Confirm: false,
        })
      ).status,
    ).toBe(200);
    expect(
      (await t.invoke('Get-MailboxFolderPermission', { Identity: 'alice:\\Calendar', User: 'execs' })).json
        .value,
    ).toEqual([]);
  });
});

describe('paging', () => {
  it('pages more than 1,000 results with @odata.nextLink and honours ResultSize', async () => {
    sim.seedRecipients(
      t.tenantId,
      Array.from({ length: 2_345 }, (_, i) => ({
        type: 'MailContact' as const,
        name: `Contact ${String(i).padStart(4, '0')}`,
        primarySmtpAddress: `c${i}@fabrikam.example`,
      })),
    );
    const first = await t.invoke('Get-MailContact', {});
    expect(first.json.value).toHaveLength(1000);
    expect(first.json['@odata.nextLink']).toBeUndefined();
    expect(first.json['@adminapi.warnings'][0]).toContain('only the first 1000 items');
    const all = await t.invokeAll('Get-MailContact', { ResultSize: 'Unlimited' });
    expect(all.pages).toBe(3);
    expect(all.value).toHaveLength(2_346);
    expect(new Set(all.value.map((c: { Guid: string }) => c.Guid)).size).toBe(2_346);
    const small = await t.invokeAll('Get-MailContact', { ResultSize: 250 }, 100);
    expect(small.pages).toBe(3);
    expect(small.value).toHaveLength(250);
  });
});

describe('throttling, faults, counters', () => {
  it('answers 429 with Retry-After once the tenant budget is used', async () => {
    sim.setThrottling(t.tenantId, { requestsPerWindow: 3, windowSeconds: 30, maxConcurrent: 0 });
    for (let i = 0; i < 3; i++) expect((await t.invoke('Get-AcceptedDomain')).status).toBe(200);
    const res = await t.invoke('Get-AcceptedDomain');
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(30);
    expect(res.json.error.code).toBe('TooManyRequests');
    expect(sim.calls(t.tenantId).throttled).toBeGreaterThan(0);
  });

  it('refuses requests over the concurrency cap with the plain-text message', async () => {
    sim.setThrottling(t.tenantId, { requestsPerWindow: 0, windowSeconds: 60, maxConcurrent: 1 });
    sim.setLatency('exchange', { fixedMs: 1000, jitterMs: 0 });
    const results = await Promise.all([
      t.invoke('Get-AcceptedDomain'),
      t.invoke('Get-AcceptedDomain'),
      t.invoke('Get-AcceptedDomain'),
    ]);
    const refused = results.filter((r) => r.status === 429);
    expect(results.some((r) => r.status === 200)).toBe(true);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.headers['content-type']).toContain('text/plain');
    expect(refused[0]!.text).toBe(
      'You have reached the maximum number of concurrent requests per tenant. Please wait and try again',
    );
  });

  it('fails the next N calls of a cmdlet with the injected error, changing nothing, and counts calls', async () => {
    sim.resetCalls(t.tenantId);
    sim.injectFault(t.tenantId, {
      cmdlet: 'Set-DistributionGroup',
      count: 2,
      errorId: 'ExDEAD01',
      exceptionType: 'Microsoft.Exchange.Data.Storage.StorageTransientException',
      message: 'Transient failure.',
      status: 503,
    });
    for (let i = 0; i < 2; i++) {
      const res = await t.invoke('Set-DistributionGroup', {
        Identity: 'marketing',
        ...bypass,
        CustomAttribute2: 'x',
      });
      expect(res.status).toBe(503);
      expect(res.json.error.details[0].message).toBe(
        'ExDEAD01|Microsoft.Exchange.Data.Storage.StorageTransientException|Transient failure.',
      );
    }
    expect(
      (await t.invoke('Get-DistributionGroup', { Identity: 'marketing' })).json.value[0].CustomAttribute2,
    ).toBe('');
    expect(
      (await t.invoke('Set-DistributionGroup', { Identity: 'marketing', ...bypass, CustomAttribute2: 'x' }))
        .status,
    ).toBe(200);
    expect(sim.calls(t.tenantId).cmdlets).toEqual({ 'Set-DistributionGroup': 3, 'Get-DistributionGroup': 1 });
  });

  it('a test-only lost write drops one parameter of the next call that names it, answers success, keeps the rest', async () => {
    sim.injectLostWrite(t.tenantId, {
      cmdlet: 'Set-DistributionGroup',
      parameter: 'CustomAttribute3',
      count: 1,
    });
    // A call without the parameter does not consume it.
    expect(
      (await t.invoke('Set-DistributionGroup', { Identity: 'marketing', ...bypass, CustomAttribute4: 'y' }))
        .status,
    ).toBe(200);
    const lost = await t.invoke('Set-DistributionGroup', {
      Identity: 'marketing',
      ...bypass,
      customattribute3: 'lost',
      CustomAttribute5: 'kept',
    });
    expect(lost.status).toBe(200);
    const read = async () =>
      (await t.invoke('Get-DistributionGroup', { Identity: 'marketing' })).json.value[0];
    expect(await read()).toMatchObject({
      CustomAttribute3: '',
      CustomAttribute4: 'y',
      CustomAttribute5: 'kept',
    });
    await t.invoke('Set-DistributionGroup', { Identity: 'marketing', ...bypass, CustomAttribute3: 'now' });
    expect((await read()).CustomAttribute3).toBe('now');
  });
});
