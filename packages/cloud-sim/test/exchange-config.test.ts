// Contract of the Exchange configuration objects that name recipients (issue 16): transport rules, dynamic
// distribution group filters, calendar processing, journal rules, address lists and address book policies — what
// each keeps, how it shows it, what each refuses, and what becomes of a reference when its group is deleted.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudSim } from '../src/index.js';
import { cmdletError, contoso, setupTenant, tokenFor, type TestTenant } from './helpers.js';

let sim: CloudSim;
let t: TestTenant;
let baseline: string;
let salesDn: string;
let salesLegacyDn: string;
/** A token of an app whose role group was given the Address Lists role. */
let addressListsToken: string;

beforeAll(async () => {
  sim = await CloudSim.start();
  t = await setupTenant(sim);
  sim.seedRecipients(t.tenantId, [
    contoso.alice,
    contoso.bob,
    {
      type: 'MailUser',
      name: 'Journal Archive',
      alias: 'archive',
      primarySmtpAddress: 'archive@contoso.com',
      externalEmailAddress: 'archive@archiver.example',
    },
    {
      type: 'MailUniversalSecurityGroup',
      name: 'Sales',
      alias: 'sales',
      primarySmtpAddress: 'sales@contoso.com',
      members: ['alice', 'bob'],
    },
    {
      type: 'DynamicDistributionGroup',
      name: 'Sales Team Dynamic',
      alias: 'salesdyn',
      primarySmtpAddress: 'salesdyn@contoso.com',
      recipientFilter: "CustomAttribute1 -eq 'x'",
    },
    { type: 'RoomMailbox', name: 'Room 1', alias: 'room1', primarySmtpAddress: 'room1@contoso.com' },
  ]);
  const sales = (await t.invoke('Get-DistributionGroup', { Identity: 'sales' })).json.value[0];
  salesDn = sales.DistinguishedName;
  salesLegacyDn = sales.LegacyExchangeDN;
  const app = sim.registerApp(t.tenantId, {
    certificates: [t.cert.certPem],
    displayName: 'with Address Lists',
    exchangeRoles: ['Address Lists'],
  });
  addressListsToken = await tokenFor(sim, t.tenantId, app.clientId, t.cert, 'https://outlook.office365.com');
  baseline = sim.snapshot();
});
beforeEach(() => sim.restore(baseline));
afterAll(async () => {
  await sim.stop();
});

/** Deletes the group the way a sync deletion does (hard delete). */
async function deleteSales(): Promise<void> {
  const res = await t.invoke('Remove-DistributionGroup', {
    Identity: 'sales',
    BypassSecurityGroupManagerCheck: true,
  });
  expect(res.status).toBe(200);
}

describe('transport rules', () => {
  it('keep the groups and recipients a rule names and show them as SMTP addresses', async () => {
    const created = await t.invoke('New-TransportRule', {
      Name: 'Sales disclaimer',
      SentToMemberOf: ['Sales'],
      ExceptIfFrom: ['bob@contoso.com'],
      BlindCopyTo: ['alice'],
      PrependSubject: '[Sales] ',
    });
    expect(created.status).toBe(200);
    const rule = (await t.invoke('Get-TransportRule', { Identity: 'Sales disclaimer' })).json.value[0];
    expect(rule).toMatchObject({
      Name: 'Sales disclaimer',
      Priority: 0,
      State: 'Enabled',
      Mode: 'Enforce',
      SentToMemberOf: ['sales@contoso.com'],
      ExceptIfFrom: ['bob@contoso.com'],
      BlindCopyTo: ['alice@contoso.com'],
      FromMemberOf: null,
      PrependSubject: '[Sales] ',
    });
    expect(rule.Description).toContain("SentToMemberOf 'sales@contoso.com'");
  });

  it('lists every rule in priority order in one call, and a new rule can take the first place', async () => {
    for (const name of ['One', 'Two'])
      await t.invoke('New-TransportRule', { Name: name, FromMemberOf: ['sales'] });
    await t.invoke('New-TransportRule', { Name: 'Zero', CopyTo: ['alice'], Priority: 0 });
    const all = await t.invoke('Get-TransportRule', { ResultSize: 'Unlimited' });
    expect(all.json.value.map((r: { Name: string; Priority: number }) => [r.Name, r.Priority])).toEqual([
      ['Zero', 0],
      ['One', 1],
      ['Two', 2],
    ]);
  });

  it('Set-TransportRule replaces a recipient list (an array, never add/remove)', async () => {
    await t.invoke('New-TransportRule', { Name: 'R', SentToMemberOf: ['sales'] });
    expect(
      (await t.invoke('Set-TransportRule', { Identity: 'R', SentToMemberOf: ['sales', 'salesdyn'] })).status,
    ).toBe(200);
    expect((await t.invoke('Get-TransportRule', { Identity: 'R' })).json.value[0].SentToMemberOf).toEqual([
      'sales@contoso.com',
      'salesdyn@contoso.com',
    ]);
    const hashtable = await t.invoke('Set-TransportRule', {
      Identity: 'R',
      SentToMemberOf: { '@odata.type': '#Exchange.GenericHashTable', Add: ['sales'] },
    });
    expect(hashtable.status).toBe(400);
    expect(cmdletError(hashtable).type).toBe('System.Management.Automation.ParameterBindingException');
  });

  it('refuses what the documentation refuses: unknown recipients, non-groups in …MemberOf, groups as moderators, duplicate names', async () => {
    const unknown = await t.invoke('New-TransportRule', { Name: 'X', SentTo: ['nobody@contoso.com'] });
    expect(unknown.status).toBe(404);
    expect(cmdletError(unknown).type).toBe(
      'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    );
    const notGroup = await t.invoke('New-TransportRule', { Name: 'X', FromMemberOf: ['alice'] });
    expect(notGroup.status).toBe(400);
    expect(cmdletError(notGroup).type).toBe('Microsoft.Exchange.Data.DataValidationException');
    const moderator = await t.invoke('New-TransportRule', { Name: 'X', ModerateMessageByUser: ['sales'] });
    expect(moderator.status).toBe(400);
    expect(cmdletError(moderator).message).toMatch(/can't use a distribution group as a moderator/);
    await t.invoke('New-TransportRule', { Name: 'Taken' });
    expect((await t.invoke('New-TransportRule', { Name: 'taken' })).status).toBe(400);
    expect((await t.invoke('Set-TransportRule', { Identity: 'Taken', Priority: 5 })).status).toBe(400);
    expect((await t.invoke('Get-TransportRule', { Identity: 'missing' })).status).toBe(404);
  });

  it('address binding (default): a deleted group stays in the rule as its address, and a new group holding the address is named again', async () => {
    await t.invoke('New-TransportRule', { Name: 'R', SentToMemberOf: ['sales'] });
    await deleteSales();
    expect((await t.invoke('Get-TransportRule', { Identity: 'R' })).json.value[0].SentToMemberOf).toEqual([
      'sales@contoso.com',
    ]);
    // Writing the list back needs every value to resolve: the address is nobody's now.
    const stale = await t.invoke('Set-TransportRule', {
      Identity: 'R',
      SentToMemberOf: ['sales@contoso.com'],
    });
    expect(stale.status).toBe(404);
    await t.invoke('New-DistributionGroup', {
      Name: 'Sales',
      PrimarySmtpAddress: 'sales@contoso.com',
      Type: 'Security',
    });
    expect(
      (await t.invoke('Set-TransportRule', { Identity: 'R', SentToMemberOf: ['sales@contoso.com'] })).status,
    ).toBe(200);
  });

  it('object binding (knob): a deleted group leaves the rule', async () => {
    sim.setTransportRuleBinding(t.tenantId, 'object');
    await t.invoke('New-TransportRule', { Name: 'R', SentToMemberOf: ['sales'], CopyTo: ['alice'] });
    expect((await t.invoke('Get-TransportRule', { Identity: 'R' })).json.value[0].SentToMemberOf).toEqual([
      'sales@contoso.com',
    ]);
    await deleteSales();
    const rule = (await t.invoke('Get-TransportRule', { Identity: 'R' })).json.value[0];
    expect(rule.SentToMemberOf).toBeNull();
    expect(rule.CopyTo).toEqual(['alice@contoso.com']);
  });

  it('Get-TransportRule -Filter searches the Description; -ExcludeConditionActionDetails blanks the details', async () => {
    await t.invoke('New-TransportRule', { Name: 'R', SentToMemberOf: ['sales'] });
    await t.invoke('New-TransportRule', { Name: 'S', CopyTo: ['bob'] });
    const found = await t.invoke('Get-TransportRule', {
      Filter: "Description -like 'If the message:*sales@contoso.com*'",
    });
    expect(found.json.value.map((r: { Name: string }) => r.Name)).toEqual(['R']);
    const hidden = (
      await t.invoke('Get-TransportRule', { Identity: 'R', ExcludeConditionActionDetails: true })
    ).json.value[0];
    expect(hidden.SentToMemberOf).toBeNull();
    expect(hidden.Description).toBe('');
  });
});

describe('dynamic distribution group filters', () => {
  it('MemberOfGroup takes the group DN, and the filter selects the members', async () => {
    const set = await t.invoke('Set-DynamicDistributionGroup', {
      Identity: 'salesdyn',
      RecipientFilter: `(RecipientType -eq 'UserMailbox') -and (MemberOfGroup -eq '${salesDn}')`,
    });
    expect(set.status).toBe(200);
    const ddg = (await t.invoke('Get-DynamicDistributionGroup', { Identity: 'salesdyn' })).json.value[0];
    expect(ddg.RecipientFilter).toContain(salesDn);
    const members = await t.invoke('Get-Recipient', { Filter: `MemberOfGroup -eq '${salesDn}'` });
    expect(members.json.value.map((r: { Name: string }) => r.Name).sort()).toEqual([
      'Alice Anders',
      'Bob Berg',
    ]);
  });

  it('refuses a name instead of a DN, a leading wildcard, an unknown property and bad syntax', async () => {
    for (const filter of [
      "MemberOfGroup -eq 'Sales'",
      "Name -like '*ales'",
      "Shoesize -eq 'x'",
      "(Name -eq 'x'",
    ]) {
      const res = await t.invoke('Set-DynamicDistributionGroup', {
        Identity: 'salesdyn',
        RecipientFilter: filter,
      });
      expect(res.status, filter).toBe(400);
      expect(cmdletError(res).type, filter).toBe('System.Management.Automation.ParameterBindingException');
    }
  });

  it('the DN stays in the filter when the group is deleted; it selects nobody until a group has that DN again', async () => {
    await t.invoke('Set-DynamicDistributionGroup', {
      Identity: 'salesdyn',
      RecipientFilter: `MemberOfGroup -eq '${salesDn}'`,
    });
    await deleteSales();
    expect(
      (await t.invoke('Get-DynamicDistributionGroup', { Identity: 'salesdyn' })).json.value[0]
        .RecipientFilter,
    ).toBe(`MemberOfGroup -eq '${salesDn}'`);
    expect(
      (await t.invoke('Get-Recipient', { Filter: `MemberOfGroup -eq '${salesDn}'` })).json.value,
    ).toEqual([]);
  });
});

describe('calendar processing', () => {
  it('BookInPolicy and RequestInPolicy show LegacyExchangeDNs; ResourceDelegates show names', async () => {
    const set = await t.invoke('Set-CalendarProcessing', {
      Identity: 'room1',
      BookInPolicy: ['sales'],
      RequestInPolicy: ['bob@contoso.com'],
      ResourceDelegates: ['alice'],
      AllBookInPolicy: false,
    });
    expect(set.status).toBe(200);
    const c = (await t.invoke('Get-CalendarProcessing', { Identity: 'room1' })).json.value[0];
    expect(c).toMatchObject({
      Identity: 'Room 1',
      AutomateProcessing: 'AutoAccept',
      AllBookInPolicy: false,
      BookInPolicy: [salesLegacyDn],
      ResourceDelegates: ['Alice Anders'],
    });
    expect(c.RequestInPolicy[0]).toMatch(/^\/o=ExchangeLabs\//);
  });

  it('the lists are replaced whole (read, add, write back: the documented way to add)', async () => {
    await t.invoke('Set-CalendarProcessing', { Identity: 'room1', BookInPolicy: ['alice'] });
    const current = (await t.invoke('Get-CalendarProcessing', { Identity: 'room1' })).json.value[0]
      .BookInPolicy;
    await t.invoke('Set-CalendarProcessing', { Identity: 'room1', BookInPolicy: [...current, 'sales'] });
    expect(
      (await t.invoke('Get-CalendarProcessing', { Identity: 'room1' })).json.value[0].BookInPolicy,
    ).toHaveLength(2);
    const hashtable = await t.invoke('Set-CalendarProcessing', {
      Identity: 'room1',
      BookInPolicy: { '@odata.type': '#Exchange.GenericHashTable', Add: ['bob'] },
    });
    expect(hashtable.status).toBe(400);
  });

  it('refuses dynamic groups in BookInPolicy, groups as delegates, and changes on user mailboxes', async () => {
    const ddg = await t.invoke('Set-CalendarProcessing', { Identity: 'room1', BookInPolicy: ['salesdyn'] });
    expect(ddg.status).toBe(400);
    expect(cmdletError(ddg).message).toMatch(/query-based groups aren't supported/);
    expect(
      (await t.invoke('Set-CalendarProcessing', { Identity: 'room1', ResourceDelegates: ['sales'] })).status,
    ).toBe(400);
    const user = await t.invoke('Set-CalendarProcessing', { Identity: 'alice', AllBookInPolicy: false });
    expect(user.status).toBe(400);
    expect(cmdletError(user).message).toMatch(/only on resource mailboxes/);
    expect(
      (await t.invoke('Get-CalendarProcessing', { Identity: 'alice' })).json.value[0].AutomateProcessing,
    ).toBe('AutoUpdate');
    expect((await t.invoke('Get-CalendarProcessing', {})).status).toBe(400);
  });

  it('a deleted group stays in BookInPolicy as a LegacyExchangeDN nobody has', async () => {
    await t.invoke('Set-CalendarProcessing', { Identity: 'room1', BookInPolicy: ['sales', 'alice'] });
    await deleteSales();
    const policy = (await t.invoke('Get-CalendarProcessing', { Identity: 'room1' })).json.value[0]
      .BookInPolicy;
    expect(policy).toContain(salesLegacyDn);
    expect(
      (await t.invoke('Set-CalendarProcessing', { Identity: 'room1', BookInPolicy: policy })).status,
    ).toBe(404);
  });
});

describe('journal rules', () => {
  it('keep the journaled recipient as an SMTP address, new rules start disabled', async () => {
    const created = await t.invoke('New-JournalRule', {
      Name: 'Sales journal',
      JournalEmailAddress: 'archive',
      Recipient: 'sales@contoso.com',
    });
    expect(created.status).toBe(200);
    expect(created.json.value[0]).toMatchObject({
      Recipient: 'sales@contoso.com',
      JournalEmailAddress: 'archive@contoso.com',
      Scope: 'Global',
      Enabled: false,
    });
    await deleteSales();
    expect((await t.invoke('Get-JournalRule', {})).json.value[0].Recipient).toBe('sales@contoso.com');
    expect(
      (await t.invoke('Set-JournalRule', { Identity: 'Sales journal', Recipient: 'new-sales@contoso.com' }))
        .status,
    ).toBe(200);
  });

  it('refuses an Exchange Online mailbox as journal recipient and a malformed address', async () => {
    expect((await t.invoke('New-JournalRule', { Name: 'J', JournalEmailAddress: 'alice' })).status).toBe(400);
    const bad = await t.invoke('New-JournalRule', {
      Name: 'J',
      JournalEmailAddress: 'archive',
      Recipient: 'not an address',
    });
    expect(bad.status).toBe(400);
    expect(cmdletError(bad).type).toBe('System.Management.Automation.ParameterBindingException');
    expect((await t.invoke('New-JournalRule', { Name: 'J' })).status).toBe(400);
  });
});

describe('address lists and address book policies', () => {
  const invoke = (cmdlet: string, parameters: Record<string, unknown>) =>
    t.invoke(cmdlet, parameters, { token: addressListsToken });

  it('need the Address Lists role, which no role group has by default', async () => {
    const res = await t.invoke('Get-AddressList', {});
    expect(res.status).toBe(400);
    expect(cmdletError(res).type).toBe('System.Management.Automation.CommandNotFoundException');
    expect((await invoke('Get-AddressList', {})).status).toBe(200);
  });

  it('an address list filter on MemberOfGroup, used by an address book policy', async () => {
    const created = await invoke('New-AddressList', {
      Name: 'Sales people',
      RecipientFilter: `MemberOfGroup -eq '${salesDn}'`,
    });
    expect(created.status).toBe(200);
    expect(created.json.value[0]).toMatchObject({
      Identity: '\\Sales people',
      RecipientFilter: `MemberOfGroup -eq '${salesDn}'`,
    });
    const policy = await invoke('New-AddressBookPolicy', {
      Name: 'Sales ABP',
      AddressLists: ['\\Sales people'],
      GlobalAddressList: '\\Default Global Address List',
      OfflineAddressBook: '\\Default Offline Address Book',
      RoomList: '\\All Rooms',
    });
    expect(policy.json.value[0]).toMatchObject({
      AddressLists: ['\\Sales people'],
      GlobalAddressList: '\\Default Global Address List',
      RoomList: '\\All Rooms',
    });
    expect(
      (
        await invoke('Set-AddressList', {
          Identity: 'Sales people',
          RecipientFilter: "MemberOfGroup -eq 'Sales'",
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await invoke('Set-AddressList', {
          Identity: 'Sales people',
          RecipientFilter: 'x',
          IncludedRecipients: 'AllRecipients',
        })
      ).status,
    ).toBe(400);
    const gal = await invoke('Get-GlobalAddressList', {});
    expect(gal.json.value.map((g: { Name: string }) => g.Name)).toEqual(['Default Global Address List']);
  });
});

describe('names', () => {
  const taken = async (cmdlet: string, parameters: Record<string, unknown>, token?: string) => {
    const res = await t.invoke(cmdlet, parameters, token === undefined ? {} : { token });
    expect(res.status, `${cmdlet} ${JSON.stringify(parameters)}`).toBe(400);
    expect(cmdletError(res).message).toMatch(/is already being used/);
  };

  it('a second object of a kind cannot take a name another has, whatever its case; a renamed one can change its case', async () => {
    const rule = { SentToMemberOf: ['Sales'], PrependSubject: 'x' };
    expect((await t.invoke('New-TransportRule', { Name: 'Rule A', ...rule })).status).toBe(200);
    expect((await t.invoke('New-TransportRule', { Name: 'Rule B', ...rule })).status).toBe(200);
    await taken('New-TransportRule', { Name: 'RULE A', ...rule });
    await taken('Set-TransportRule', { Identity: 'Rule B', Name: 'rule a' });
    expect((await t.invoke('Set-TransportRule', { Identity: 'Rule B', Name: 'RULE B' })).status).toBe(200);

    const journal = { JournalEmailAddress: 'archive', Recipient: 'sales@contoso.com' };
    expect((await t.invoke('New-JournalRule', { Name: 'Journal A', ...journal })).status).toBe(200);
    expect((await t.invoke('New-JournalRule', { Name: 'Journal B', ...journal })).status).toBe(200);
    await taken('New-JournalRule', { Name: 'journal a', ...journal });
    await taken('Set-JournalRule', { Identity: 'Journal B', Name: 'JOURNAL A' });

    const list = { IncludedRecipients: 'AllRecipients' };
    const lists = (cmdlet: string, parameters: Record<string, unknown>) =>
      t.invoke(cmdlet, parameters, { token: addressListsToken });
    expect((await lists('New-AddressList', { Name: 'List A', ...list })).status).toBe(200);
    expect((await lists('New-AddressList', { Name: 'List B', ...list })).status).toBe(200);
    await taken('New-AddressList', { Name: 'LIST A', ...list }, addressListsToken);
    await taken('Set-AddressList', { Identity: 'List B', Name: 'list a' }, addressListsToken);
    expect((await lists('Set-AddressList', { Identity: 'List B', Name: 'LIST B' })).status).toBe(200);
    const policy = {
      AddressLists: ['\\List A'],
      GlobalAddressList: '\\Default Global Address List',
      OfflineAddressBook: '\\Default Offline Address Book',
      RoomList: '\\All Rooms',
    };
    expect((await lists('New-AddressBookPolicy', { Name: 'Policy A', ...policy })).status).toBe(200);
    await taken('New-AddressBookPolicy', { Name: 'policy a', ...policy }, addressListsToken);

    await taken('New-DistributionGroup', { Name: 'SALES' });
    await taken('Set-DistributionGroup', {
      Identity: 'sales',
      Name: 'room 1',
      BypassSecurityGroupManagerCheck: true,
    });
  });
});
