// The Exchange configuration that can name a group (issue 16) and the Entra reads, through the product's client
// against cloud-sim over HTTPS: bulk reads (one call per kind), the writes Exchange allows, and what each costs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudConnection } from '../src/connection.js';
import { ExoPermissionDeniedError } from '../src/exchange/errors.js';
import { filterNames, replaceFilterLiteral } from '../src/exchange/filter-literals.js';
import { GraphRequestError } from '../src/graph/graph-client.js';
import { markDirSynced, startSimTenant, type SimTenant } from './helpers/sim.js';

let t: SimTenant;
let conn: CloudConnection;
let baseline: string;
let sales: { dn: string; legacyDn: string; id: string };
const e5 = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';

beforeAll(async () => {
  t = await startSimTenant('contoso', { exchangeRoles: ['Address Lists'] });
  t.sim.seedRecipients(t.tenantId, [
    { type: 'UserMailbox', name: 'Alice', primarySmtpAddress: 'alice@contoso.com' },
    {
      type: 'MailUser',
      name: 'Archive',
      primarySmtpAddress: 'archive@contoso.com',
      externalEmailAddress: 'archive@archiver.example',
    },
    {
      type: 'MailUniversalSecurityGroup',
      name: 'Sales',
      primarySmtpAddress: 'sales@contoso.com',
      members: ['alice'],
    },
    {
      type: 'DynamicDistributionGroup',
      name: 'Sales Dynamic',
      primarySmtpAddress: 'salesdyn@contoso.com',
      recipientFilter: "CustomAttribute1 -eq 'x'",
    },
    ...['Room 1', 'Room 2', 'Room 3', 'Room 4', 'Room 5'].map((name, i) => ({
      type: 'RoomMailbox' as const,
      name,
      primarySmtpAddress: `room${i + 1}@contoso.com`,
    })),
  ]);
  conn = await t.connect();
  const group = (await conn.exchange.getDistributionGroup('sales@contoso.com'))!;
  sales = {
    dn: group.distinguishedName,
    legacyDn: group.legacyExchangeDN,
    id: group.externalDirectoryObjectId,
  };
  const admin = await conn.exchange.transport.invoke('New-TransportRule', {
    Name: 'Sales BCC',
    SentToMemberOf: ['sales'],
    BlindCopyTo: ['alice'],
  });
  expect(admin.value).toHaveLength(1);
  await conn.exchange.transport.invoke('New-TransportRule', {
    Name: 'Unrelated',
    SubjectContainsWords: ['x'],
  });
  await conn.exchange.setDynamicDistributionGroup('salesdyn@contoso.com', {
    RecipientFilter: `MemberOfGroup -eq '${sales.dn}'`,
  });
  await conn.exchange.transport.invoke('Set-CalendarProcessing', {
    Identity: 'room2',
    BookInPolicy: ['sales', 'alice'],
  });
  await conn.exchange.transport.invoke('New-JournalRule', {
    Name: 'Sales journal',
    JournalEmailAddress: 'archive',
    Recipient: 'sales@contoso.com',
  });
  await conn.exchange.transport.invoke('New-AddressList', {
    Name: 'Sales people',
    RecipientFilter: `MemberOfGroup -eq '${sales.dn}'`,
  });
  await conn.exchange.transport.invoke('New-AddressBookPolicy', {
    Name: 'Sales ABP',
    AddressLists: ['\\Sales people'],
    GlobalAddressList: '\\Default Global Address List',
    OfflineAddressBook: '\\Default Offline Address Book',
    RoomList: '\\All Rooms',
  });
  baseline = t.sim.snapshot();
});
beforeEach(() => t.sim.restore(baseline));

/** A connection as another app of the same tenant (its own roles), for permission checks. */
async function connectAs(app: Parameters<SimTenant['sim']['registerApp']>[1]): Promise<CloudConnection> {
  const registered = t.sim.registerApp(t.tenantId, app);
  return CloudConnection.open({
    cloud: t.cloud,
    tenantId: t.tenantId,
    clientId: registered.clientId,
    certificate: t.certificate,
  });
}

afterAll(async () => {
  conn.close();
  await t.sim.stop();
});

describe('ExchangeConfiguration', () => {
  it('lists transport rules with their recipient conditions and actions in one call', async () => {
    const before = conn.exchange.transport.stats().requestsByCmdlet['Get-TransportRule'] ?? 0;
    const rules = await conn.exchange.configuration.listTransportRules();
    expect(conn.exchange.transport.stats().requestsByCmdlet['Get-TransportRule']).toBe(before + 1);
    expect(rules.map((r) => r.name)).toEqual(['Sales BCC', 'Unrelated']);
    expect(rules[0]!.recipients).toEqual({
      SentToMemberOf: ['sales@contoso.com'],
      BlindCopyTo: ['alice@contoso.com'],
    });
    expect(rules[1]!.recipients).toEqual({});
  });

  it('replaces one recipient list of a rule; a write that changes nothing comes back as a warning', async () => {
    const config = conn.exchange.configuration;
    await config.setTransportRuleRecipients('Sales BCC', 'SentToMemberOf', [
      'sales@contoso.com',
      'salesdyn@contoso.com',
    ]);
    expect((await config.listTransportRules())[0]!.recipients['SentToMemberOf']).toEqual([
      'sales@contoso.com',
      'salesdyn@contoso.com',
    ]);
    const warnings = await config.setTransportRuleRecipients('Sales BCC', 'SentToMemberOf', [
      'sales@contoso.com',
      'salesdyn@contoso.com',
    ]);
    expect(warnings.join(' ')).toMatch(/no settings of .* have been modified/);
    await config.setTransportRuleRecipients('Sales BCC', 'BlindCopyTo', []);
    expect((await config.listTransportRules())[0]!.recipients['BlindCopyTo']).toBeUndefined();
  });

  it('lists dynamic groups with their filters and rewrites the DN in one', async () => {
    const config = conn.exchange.configuration;
    const ddg = (await config.listDynamicDistributionGroups()).find((d) =>
      filterNames(d.recipientFilter, [sales.dn]),
    )!;
    expect(ddg.primarySmtpAddress).toBe('salesdyn@contoso.com');
    const other = (
      await conn.exchange.newDistributionGroup({ name: 'Sales 2', type: 'Security', managedBy: ['alice'] })
    ).distinguishedName;
    await config.setDynamicDistributionGroupFilter(
      ddg.guid,
      replaceFilterLiteral(ddg.recipientFilter, [sales.dn], other),
    );
    expect((await conn.exchange.getDynamicDistributionGroup('salesdyn@contoso.com'))!.recipientFilter).toBe(
      `MemberOfGroup -eq '${other}'`,
    );
  });

  it('reads calendar processing of every room, a few at a time, and writes a booking list back', async () => {
    const config = conn.exchange.configuration;
    const rooms = await config.listResourceMailboxes();
    expect(rooms.map((r) => r.name)).toEqual(['Room 1', 'Room 2', 'Room 3', 'Room 4', 'Room 5']);
    const processing = await config.listCalendarProcessing(rooms.map((r) => r.guid));
    expect(processing.map((p) => p.identity)).toEqual(rooms.map((r) => r.name));
    const room2 = processing[1]!;
    expect(room2.lists.BookInPolicy).toContain(sales.legacyDn);
    await config.setCalendarProcessing(room2.identity, {
      BookInPolicy: room2.lists.BookInPolicy.filter((v) => v !== sales.legacyDn),
    });
    expect((await config.getCalendarProcessing('room2@contoso.com')).lists.BookInPolicy).toHaveLength(1);
  });

  it('journal rules: read and set the journaled address', async () => {
    const config = conn.exchange.configuration;
    const [rule] = await config.listJournalRules();
    expect(rule).toMatchObject({
      name: 'Sales journal',
      recipient: 'sales@contoso.com',
      journalEmailAddress: 'archive@contoso.com',
    });
    await config.setJournalRuleRecipient('Sales journal', 'alice@contoso.com');
    expect((await config.listJournalRules())[0]!.recipient).toBe('alice@contoso.com');
  });

  it('address lists, global address lists and address book policies (with the Address Lists role)', async () => {
    const config = conn.exchange.configuration;
    const lists = await config.listAddressLists();
    const salesList = lists.find((l) => filterNames(l.recipientFilter, [sales.dn]))!;
    expect(salesList).toMatchObject({ name: 'Sales people', path: '\\Sales people', kind: 'address-list' });
    expect((await config.listGlobalAddressLists()).map((g) => g.kind)).toEqual(['global-address-list']);
    expect((await config.listAddressBookPolicies())[0]).toMatchObject({
      name: 'Sales ABP',
      addressLists: ['\\Sales people'],
    });
    await config.setAddressListFilter(salesList.guid, salesList.kind, "CustomAttribute2 -eq 'sales'");
    expect((await config.listAddressLists()).find((l) => l.name === 'Sales people')!.recipientFilter).toBe(
      "CustomAttribute2 -eq 'sales'",
    );
  });

  it('without the Address Lists role the address list cmdlets are a permission error', async () => {
    const other = await connectAs({ certificates: [t.cert.certPem] });
    try {
      await expect(other.exchange.configuration.listAddressLists()).rejects.toBeInstanceOf(
        ExoPermissionDeniedError,
      );
      await expect(other.exchange.configuration.listAddressBookPolicies()).rejects.toBeInstanceOf(
        ExoPermissionDeniedError,
      );
    } finally {
      other.close();
    }
  });
});

describe('EntraReferences', () => {
  beforeEach(() => {
    t.sim.seedEntra(t.tenantId, {
      securityGroups: [{ displayName: 'VPN users', members: ['sales@contoso.com'] }],
      administrativeUnits: [{ displayName: 'EMEA', members: ['sales@contoso.com'] }],
      servicePrincipals: [{ displayName: 'Salesforce', appRoles: [{ value: 'User' }] }],
      groupLicenses: [{ group: 'sales@contoso.com', skuIds: [e5] }],
      appRoleAssignments: [{ principal: 'sales@contoso.com', resource: 'Salesforce', appRole: 'User' }],
      conditionalAccessPolicies: [
        { displayName: 'MFA for sales', includeGroups: ['sales@contoso.com'] },
        { displayName: 'Everyone but sales', includeUsers: ['All'], excludeGroups: ['sales@contoso.com'] },
      ],
      owners: [{ group: 'sales@contoso.com', owners: ['alice@contoso.com'] }],
    });
  });

  it('reads licences (with SKU names), app roles, Conditional Access, memberships and owners of a group', async () => {
    const entra = conn.graph.entra;
    expect((await entra.getGroupLicences(sales.id)).assignedLicenses).toEqual([
      { skuId: e5, disabledPlans: [] },
    ]);
    expect((await entra.listSubscribedSkus()).find((s) => s.skuId === e5)?.skuPartNumber).toBe('SPE_E5');
    expect(await entra.listAppRoleAssignments(sales.id)).toEqual([
      expect.objectContaining({ resourceDisplayName: 'Salesforce' }),
    ]);
    const policies = await entra.listConditionalAccessPolicies();
    expect(policies.filter((p) => p.includeGroups.includes(sales.id)).map((p) => p.displayName)).toEqual([
      'MFA for sales',
    ]);
    expect(policies.filter((p) => p.excludeGroups.includes(sales.id)).map((p) => p.displayName)).toEqual([
      'Everyone but sales',
    ]);
    const memberOf = await entra.listMemberOf(sales.id);
    expect(memberOf.map((m) => [m.odataType, m.displayName, m.mailEnabled])).toEqual([
      ['#microsoft.graph.group', 'VPN users', false],
      ['#microsoft.graph.administrativeUnit', 'EMEA', null],
    ]);
    expect((await entra.listOwners(sales.id)).map((o) => o.displayName)).toEqual(['Alice']);
    expect(await entra.listRoleAssignments(sales.id)).toEqual([]);
  });

  it('a role-assignable group with an administrative-unit-scoped role', async () => {
    markDirSynced(t.sim, t.tenantId, 'Sales');
    expect(() =>
      t.sim.seedEntra(t.tenantId, {
        roleAssignments: [
          { principal: 'sales@contoso.com', roleDefinitionId: '729827e3-9c14-49f7-bb1b-9608f156bbb8' },
        ],
      }),
    ).toThrow(/role-assignable/);
    t.sim.seedEntra(t.tenantId, {
      securityGroups: [{ displayName: 'Helpdesk', isAssignableToRole: true }],
      roleAssignments: [
        {
          principal: 'Helpdesk',
          roleDefinitionId: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
          directoryScope: 'EMEA',
        },
      ],
    });
    const helpdesk = t.sim
      .dump()
      .tenants[t.tenantId]!.entra!.securityGroups.find((g) => g.displayName === 'Helpdesk')!;
    const [assignment] = await conn.graph.entra.listRoleAssignments(helpdesk.id);
    expect(assignment?.directoryScopeId).toMatch(/^\/administrativeUnits\//);
  });

  it('a missing group is a 404 GraphRequestError; a missing permission a 403 naming the permissions', async () => {
    await expect(conn.graph.entra.listMemberOf('7d6d1a39-5a3c-4a9e-9d0d-1d3c3f1f0f0f')).rejects.toMatchObject(
      {
        status: 404,
      },
    );
    const other = await connectAs({
      certificates: [t.cert.certPem],
      roles: {
        'https://graph.microsoft.com': ['Group.Read.All'],
        'https://outlook.office365.com': ['Exchange.ManageAsApp'],
      },
    });
    try {
      const error = await other.graph.entra.listConditionalAccessPolicies().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphRequestError);
      expect((error as GraphRequestError).status).toBe(403);
      expect((error as GraphRequestError).message).toMatch(/Policy\.Read\.All/);
    } finally {
      other.close();
    }
  });
});
