// Every typed Exchange operation against cloud-sim over HTTPS with real certificate auth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudConnection } from '../src/connection.js';
import {
  ExoAddressExistsError,
  ExoAlreadyExistsError,
  ExoNotFoundError,
  ExoSyncedObjectError,
  ExoValidationError,
} from '../src/exchange/errors.js';
import type { CloudDependant, ExchangeOnline } from '../src/exchange/exchange-online.js';
import { cloudIdentity } from '../src/exchange/cloud-identity.js';
import { markDirSynced, startSimTenant, type SimTenant } from './helpers/sim.js';

let t: SimTenant;
let conn: CloudConnection;
let exo: ExchangeOnline;

beforeAll(async () => {
  t = await startSimTenant('contoso');
  t.sim.seedRecipients(t.tenantId, [
    { type: 'UserMailbox', name: 'Alice', primarySmtpAddress: 'alice@contoso.com' },
    { type: 'UserMailbox', name: 'Bob', primarySmtpAddress: 'bob@contoso.com' },
    { type: 'UserMailbox', name: 'Carol', primarySmtpAddress: 'carol@contoso.com' },
    { type: 'UserMailbox', name: "Dan O'Neil", primarySmtpAddress: 'dan@contoso.com' },
    {
      type: 'MailUser',
      name: 'Mia',
      primarySmtpAddress: 'mia@contoso.com',
      externalEmailAddress: 'mia@partner.example',
    },
    {
      type: 'MailContact',
      name: 'Ext',
      primarySmtpAddress: 'ext@partner.example',
      externalEmailAddress: 'ext@partner.example',
    },
    {
      type: 'MailUniversalSecurityGroup',
      name: 'Admins',
      primarySmtpAddress: 'admins@contoso.com',
      members: ['alice'],
      settings: { ManagedBy: ['alice'] },
    },
    {
      type: 'MailUniversalDistributionGroup',
      name: 'Sales',
      primarySmtpAddress: 'sales@contoso.com',
      members: ['alice', 'bob'],
      settings: { ManagedBy: ['alice'] },
    },
    {
      type: 'MailUniversalDistributionGroup',
      name: 'Synced DL',
      primarySmtpAddress: 'synced@contoso.com',
      settings: { ManagedBy: ['alice'] },
    },
    {
      type: 'DynamicDistributionGroup',
      name: 'All Staff',
      primarySmtpAddress: 'allstaff@contoso.com',
      recipientFilter: "RecipientType -eq 'UserMailbox'",
    },
    { type: 'GroupMailbox', name: 'Team', primarySmtpAddress: 'team@contoso.com' },
  ]);
  markDirSynced(t.sim, t.tenantId, 'Synced DL');
  conn = await t.connect({ retry: { baseDelayMs: 20 } });
  exo = conn.exchange;
});
afterAll(async () => {
  conn.close();
  await t.sim.stop();
});

/** The primary SMTP addresses of a group's members, sorted. */
async function memberAddresses(group: string): Promise<string[]> {
  return (await exo.getDistributionGroupMembers(group)).map((m) => m.primarySmtpAddress).sort();
}

describe('distribution groups', () => {
  it('reads a DL with its settings and full membership; null when missing', async () => {
    const group = await exo.getDistributionGroup('sales@contoso.com');
    expect(group?.name).toBe('Sales');
    expect(group?.recipientTypeDetails).toBe('MailUniversalDistributionGroup');
    expect(group?.externalDirectoryObjectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(group?.managedBy.length).toBe(1);
    expect(group?.settings['legacyExchangeDN']).toBeTypeOf('string');
    expect(await memberAddresses(cloudIdentity(group!))).toEqual(['alice@contoso.com', 'bob@contoso.com']);
    expect(await exo.getDistributionGroup('nobody@contoso.com')).toBeNull();
  });

  it('creates distribution, security and room-list groups', async () => {
    const dl = await exo.newDistributionGroup({
      name: 'Temp 1',
      alias: 'temp1',
      primarySmtpAddress: 'temp1@contoso.com',
      managedBy: ['alice'],
    });
    expect(dl.recipientTypeDetails).toBe('MailUniversalDistributionGroup');
    expect(dl.primarySmtpAddress).toBe('temp1@contoso.com');
    const sec = await exo.newDistributionGroup({ name: 'Temp Sec', type: 'Security', managedBy: ['alice'] });
    expect(sec.isSecurityGroup).toBe(true);
    const rooms = await exo.newDistributionGroup({ name: 'Rooms', roomList: true, managedBy: ['alice'] });
    expect(rooms.isRoomList).toBe(true);
  });

  it('sets single values and multi-valued lists (replace and add/remove)', async () => {
    await exo.setDistributionGroup('temp1@contoso.com', {
      HiddenFromAddressListsEnabled: true,
      CustomAttribute1: 'wave-1',
      MemberJoinRestriction: 'ApprovalRequired',
    });
    await exo.setDistributionGroupList('temp1@contoso.com', 'ManagedBy', ['bob', 'carol']);
    await exo.changeDistributionGroupList('temp1@contoso.com', 'EmailAddresses', {
      add: ['smtp:temp1.alt@contoso.com', 'X500:/o=Contoso/ou=First/cn=Recipients/cn=temp1'],
    });
    await exo.changeDistributionGroupList('temp1@contoso.com', 'GrantSendOnBehalfTo', { add: ['alice'] });
    let g = await exo.getDistributionGroup('temp1@contoso.com');
    expect(g?.hiddenFromAddressListsEnabled).toBe(true);
    expect(g?.settings['customAttribute1']).toBe('wave-1');
    expect(g?.memberJoinRestriction).toBe('ApprovalRequired');
    expect(g?.managedBy).toHaveLength(2);
    expect(g?.emailAddresses).toEqual(
      expect.arrayContaining([
        'smtp:temp1.alt@contoso.com',
        'X500:/o=Contoso/ou=First/cn=Recipients/cn=temp1',
      ]),
    );
    expect(g?.grantSendOnBehalfTo).toHaveLength(1);
    await exo.changeDistributionGroupList('temp1@contoso.com', 'EmailAddresses', {
      remove: ['smtp:temp1.alt@contoso.com'],
    });
    g = await exo.getDistributionGroup('temp1@contoso.com');
    expect(g?.emailAddresses).not.toContain('smtp:temp1.alt@contoso.com');
    expect(() =>
      exo.changeDistributionGroupList('temp1@contoso.com', 'AcceptMessagesOnlyFromSendersOrMembers', {
        add: ['bob'],
      }),
    ).toThrow(/replaced as a whole/);
  });

  it('replaces membership: first chunk via Update-DistributionGroupMember, the rest added', async () => {
    await exo.addMember('temp1@contoso.com', 'mia@contoso.com');
    t.sim.resetCalls(t.tenantId);
    const result = await exo.replaceMembers(
      'temp1@contoso.com',
      ['alice', 'bob', 'carol', 'dan@contoso.com'],
      { chunkSize: 2 },
    );
    expect(result).toEqual({ calls: 3, replacedWith: 2, addedAfter: 2, removed: 0, reconciled: false });
    const calls = t.sim.calls(t.tenantId).cmdlets;
    expect(calls['Update-DistributionGroupMember']).toBe(1);
    expect(calls['Add-DistributionGroupMember']).toBe(2);
    // Mia, who was there before, is gone: the result is exactly the requested list.
    expect(await memberAddresses('temp1@contoso.com')).toEqual([
      'alice@contoso.com',
      'bob@contoso.com',
      'carol@contoso.com',
      'dan@contoso.com',
    ]);
    // Emptied by removals: whether an empty -Members array binds is not documented (both answers here).
    for (const emptyMembers of ['refused', 'clears'] as const) {
      t.sim.setBehaviour(t.tenantId, { emptyMembers });
      await exo.replaceMembers('temp1@contoso.com', ['alice', 'bob']);
      t.sim.resetCalls(t.tenantId);
      const emptied = await exo.replaceMembers('temp1@contoso.com', []);
      expect(emptied).toMatchObject({ removed: 2, replacedWith: 0 });
      expect(t.sim.calls(t.tenantId).cmdlets['Update-DistributionGroupMember']).toBeUndefined();
      expect(await exo.getDistributionGroupMembers('temp1@contoso.com')).toHaveLength(0);
    }
    t.sim.setBehaviour(t.tenantId, { emptyMembers: 'clears' });
  });

  it('a replace cut off by the REST timeout is completed from the re-read membership, not re-sent', async () => {
    await exo.replaceMembers('temp1@contoso.com', ['mia@contoso.com', 'ext@partner.example']);
    // 100 ms per member and a 0.25 s cut-off: a replace of 4 is cut off after 2 members.
    t.sim.setBehaviour(t.tenantId, { memberUpdateMs: 100, restTimeoutSeconds: 0.25 });
    t.sim.resetCalls(t.tenantId);
    try {
      const result = await exo.replaceMembers('temp1@contoso.com', [
        'alice',
        'bob',
        'carol',
        'dan@contoso.com',
      ]);
      expect(result).toMatchObject({ reconciled: true, addedAfter: 2, removed: 2 });
      const calls = t.sim.calls(t.tenantId).cmdlets;
      expect(calls['Update-DistributionGroupMember']).toBe(1);
      expect(calls['Get-DistributionGroupMember']).toBe(1);
    } finally {
      t.sim.setBehaviour(t.tenantId, { memberUpdateMs: 0, restTimeoutSeconds: 900 });
    }
    expect(await memberAddresses('temp1@contoso.com')).toEqual([
      'alice@contoso.com',
      'bob@contoso.com',
      'carol@contoso.com',
      'dan@contoso.com',
    ]);
    await exo.replaceMembers('temp1@contoso.com', []);
  });

  it('reports progress as it adds, and a replace resumed from a report repeats neither the replace nor those additions', async () => {
    const list = ['alice', 'bob', 'carol', 'dan@contoso.com', 'mia@contoso.com'];
    const reports: { replaced: boolean; added: number }[] = [];
    t.sim.resetCalls(t.tenantId);
    await exo.replaceMembers('temp1@contoso.com', list, {
      chunkSize: 1,
      progressEvery: 2,
      onProgress: async (p) => void reports.push(p),
    });
    // The replace, then a report per 2 additions: every report is a done prefix of the 4 additions.
    expect(reports).toEqual([
      { replaced: true, added: 0 },
      { replaced: true, added: 2 },
      { replaced: true, added: 4 },
    ]);

    // A run that stopped after the first report of additions: 2 of 4 added. Resumed, it adds only the last 2.
    await exo.replaceMembers('temp1@contoso.com', list.slice(0, 3), { chunkSize: 1 });
    t.sim.resetCalls(t.tenantId);
    const resumed = await exo.replaceMembers('temp1@contoso.com', list, {
      chunkSize: 1,
      resumeFrom: { replaced: true, added: 2 },
    });
    expect(resumed).toEqual({ calls: 2, replacedWith: 1, addedAfter: 2, removed: 0, reconciled: false });
    const calls = t.sim.calls(t.tenantId).cmdlets;
    expect(calls['Update-DistributionGroupMember']).toBeUndefined();
    expect(calls['Add-DistributionGroupMember']).toBe(2);
    expect(await memberAddresses('temp1@contoso.com')).toEqual([
      'alice@contoso.com',
      'bob@contoso.com',
      'carol@contoso.com',
      'dan@contoso.com',
      'mia@contoso.com',
    ]);
    await exo.replaceMembers('temp1@contoso.com', []);
  });

  it('refuses an empty -Identity in the client, sending nothing', async () => {
    t.sim.resetCalls(t.tenantId);
    await expect(exo.getRecipient('')).rejects.toBeInstanceOf(ExoValidationError);
    await expect(exo.setDistributionGroup('  ', { CustomAttribute1: 'x' })).rejects.toThrow(
      /-Identity is empty/,
    );
    expect(t.sim.calls(t.tenantId).cmdlets).toEqual({});
  });

  it('reads members as compact records: ids, name, primary address and type only', async () => {
    await exo.replaceMembers('temp1@contoso.com', ['alice', 'bob']);
    const full = await exo.getDistributionGroupMembers('temp1@contoso.com');
    const compact = await exo.getDistributionGroupMemberRecords('temp1@contoso.com');
    expect(compact).toEqual(
      full.map((m) => ({
        guid: m.guid,
        externalDirectoryObjectId: m.externalDirectoryObjectId,
        name: m.name,
        primarySmtpAddress: m.primarySmtpAddress,
        recipientTypeDetails: m.recipientTypeDetails,
      })),
    );
    // What crossed the wire: five properties per member, not the whole recipient.
    expect(JSON.stringify(compact).length * 4).toBeLessThan(JSON.stringify(full).length);
    await exo.replaceMembers('temp1@contoso.com', []);
  });

  it('adds and removes one member, idempotently', async () => {
    expect(await exo.addMember('temp1@contoso.com', 'alice')).toBe(true);
    expect(await exo.addMember('temp1@contoso.com', 'alice')).toBe(false);
    expect(await exo.removeMember('temp1@contoso.com', 'alice')).toBe(true);
    expect(await exo.removeMember('temp1@contoso.com', 'alice')).toBe(false);
    await expect(exo.addMember('missing-group@contoso.com', 'alice')).rejects.toBeInstanceOf(
      ExoNotFoundError,
    );
  });

  it('removes a DL', async () => {
    await exo.removeDistributionGroup('Rooms');
    expect(await exo.getDistributionGroup('Rooms')).toBeNull();
  });
});

describe('domains, connectors, recipients', () => {
  it('accepted domains and the routing domain', async () => {
    const names = (await exo.getAcceptedDomains()).map((d) => d.domainName);
    expect(names).toEqual(
      expect.arrayContaining(['contoso.com', 'contoso.onmicrosoft.com', 'contoso.mail.onmicrosoft.com']),
    );
    expect(await exo.getRoutingDomain()).toBe('contoso.mail.onmicrosoft.com');
    expect(names).not.toContain('fabrikam.com');
  });

  it('centralised mail transport detection', async () => {
    expect(await exo.usesCentralizedMailTransport()).toBe(false);
    const other = t.sim.createTenant({
      name: 'fabrikam',
      outboundConnectors: [
        { Name: 'To on-prem', Enabled: true, RouteAllMessagesViaOnPremises: true, RecipientDomains: ['*'] },
      ],
    });
    const app = t.sim.registerApp(other.id, { certificates: [t.cert.certPem] });
    const c2 = await t.connect({ tenantId: other.id, clientId: app.clientId });
    expect(await c2.exchange.usesCentralizedMailTransport()).toBe(true);
    c2.close();
  });

  it('recipient by identity (address, EDOID), null when missing', async () => {
    const alice = await exo.getRecipient('alice@contoso.com');
    expect(alice?.recipientTypeDetails).toBe('UserMailbox');
    expect((await exo.getRecipient(alice!.externalDirectoryObjectId))?.name).toBe('Alice');
    const before = conn.transport.stats();
    expect(await exo.getRecipient('ghost@contoso.com')).toBeNull();
    // "Not found" is an answer, counted as such, not a failed call (the batch bench's "calls failed").
    expect(conn.transport.stats().notFound).toBe(before.notFound + 1);
    expect(conn.transport.stats().failures).toBe(before.failures);
    expect((await exo.findRecipients("Name -eq 'Dan O''Neil'")).map((r) => r.name)).toEqual(["Dan O'Neil"]);
    // A refusal is a failure, counted by cmdlet and code: the figures say which failures were answers.
    await expect(exo.newDistributionGroup({ name: 'Sales' })).rejects.toBeInstanceOf(ExoAlreadyExistsError);
    const after = conn.transport.stats();
    expect(after.failures).toBe(before.failures + 1);
    expect(after.failuresByKind['New-DistributionGroup EXO_ALREADY_EXISTS']).toBe(
      (before.failuresByKind['New-DistributionGroup EXO_ALREADY_EXISTS'] ?? 0) + 1,
    );
  });

  it('mailboxes, mail users, contacts, dynamic DLs, unified groups', async () => {
    expect((await exo.getMailbox('bob'))?.userPrincipalName).toBe('bob@contoso.com');
    expect((await exo.getMailUser('mia'))?.recipientTypeDetails).toBe('MailUser');
    expect((await exo.getMailContact('Ext'))?.recipientTypeDetails).toBe('MailContact');
    expect(await exo.getMailbox('Ext')).toBeNull();
    const ddg = await exo.getDynamicDistributionGroup('All Staff');
    expect(ddg?.recipientFilter).toContain('UserMailbox');
    await exo.setDynamicDistributionGroup('All Staff', { ManagedBy: 'bob', CustomAttribute2: 'x' });
    expect((await exo.getDynamicDistributionGroup('All Staff'))?.managedBy).toBeTruthy();
    await exo.setUnifiedGroup('Team', { HiddenFromAddressListsEnabled: true });
    expect((await exo.getUnifiedGroup('Team'))?.hiddenFromAddressListsEnabled).toBe(true);
  });
});

describe('permissions and delegation', () => {
  it('Send-As: grant, read by identity and by trustee, revoke', async () => {
    await exo.addSendAs('sales@contoso.com', 'admins@contoso.com');
    const onGroup = await exo.getRecipientPermissions({ identity: 'sales@contoso.com' });
    expect(onGroup.some((p) => p.accessRights.includes('SendAs') && /Admins/i.test(p.trustee))).toBe(true);
    const byTrustee = await exo.getRecipientPermissions({ trustee: 'admins@contoso.com' });
    expect(byTrustee.length).toBeGreaterThan(0);
    await exo.removeSendAs('sales@contoso.com', 'admins@contoso.com');
    expect(
      (await exo.getRecipientPermissions({ identity: 'sales@contoso.com' })).some((p) =>
        /Admins/i.test(p.trustee),
      ),
    ).toBe(false);
  });

  it('FullAccess: grant, read, revoke', async () => {
    await exo.addFullAccess('bob', 'admins@contoso.com', { autoMapping: false });
    const perms = await exo.getMailboxPermissions('bob');
    expect(perms.some((p) => /Admins/i.test(p.user) && p.accessRights.includes('FullAccess'))).toBe(true);
    await exo.removeFullAccess('bob', 'admins@contoso.com');
    expect((await exo.getMailboxPermissions('bob')).some((p) => /Admins/i.test(p.user))).toBe(false);
  });

  it('forwarding and send-on-behalf on mailboxes, mail users and contacts', async () => {
    const carol = { identity: 'carol@contoso.com', recipientTypeDetails: 'UserMailbox' };
    await exo.setForwardingAddress(carol, 'sales@contoso.com');
    expect((await exo.getMailbox('carol'))?.forwardingAddress).toBeTruthy();
    await exo.setForwardingAddress(carol, null);
    expect((await exo.getMailbox('carol'))?.forwardingAddress).toBeNull();
    await exo.changeGrantSendOnBehalfTo(carol, { add: ['admins@contoso.com'] });
    expect((await exo.getMailbox('carol'))?.grantSendOnBehalfTo).toHaveLength(1);
    await exo.changeGrantSendOnBehalfTo(
      { identity: 'mia', recipientTypeDetails: 'MailUser' },
      { add: ['alice'] },
    );
    expect((await exo.getMailUser('mia'))?.grantSendOnBehalfTo).toHaveLength(1);
    await exo.setRecipient(
      { identity: 'Ext', recipientTypeDetails: 'MailContact' },
      { CustomAttribute3: 'c' },
    );
    expect((await exo.getMailContact('Ext'))?.settings['customAttribute3']).toBe('c');
  });
});

describe('typed errors', () => {
  it('not found', async () => {
    const e = await exo
      .setDistributionGroup('ghost-group', { CustomAttribute1: 'x' })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ExoNotFoundError);
    expect((e as ExoNotFoundError).errorId).toBe('Ex6F9304');
    expect((e as ExoNotFoundError).status).toBe(404);
    expect((e as ExoNotFoundError).clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('address exists, with the holder', async () => {
    const e = await exo
      .changeDistributionGroupList('sales@contoso.com', 'EmailAddresses', { add: ['smtp:alice@contoso.com'] })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ExoAddressExistsError);
    const err = e as ExoAddressExistsError;
    expect(err.holder).toMatch(/Alice$/);
    expect(err.address?.toLowerCase()).toBe('smtp:alice@contoso.com');
  });

  it('name already used', async () => {
    await expect(exo.newDistributionGroup({ name: 'Sales' })).rejects.toBeInstanceOf(ExoAlreadyExistsError);
  });

  it('synced-object refusal', async () => {
    const e = await exo
      .setDistributionGroup('synced@contoso.com', { DisplayName: 'New name' })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ExoSyncedObjectError);
    expect((e as Error).message).toMatch(/on-premises Active Directory/);
  });

  it('validation errors are not retried', async () => {
    t.sim.resetCalls(t.tenantId);
    const before = conn.transport.stats().retries;
    const e = await exo
      .setDistributionGroup('sales@contoso.com', {
        EmailAddresses: ['SMTP:sales@contoso.com'],
        PrimarySmtpAddress: 'sales@contoso.com',
      })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ExoValidationError);
    expect(t.sim.calls(t.tenantId).cmdlets['Set-DistributionGroup']).toBe(1);
    expect(conn.transport.stats().retries).toBe(before);
  });
});

describe('cloud dependants', () => {
  /**
   * A cloud-only DL `name` that holds Sales as a member and names it in `links` (by default: accept messages only
   * from Sales' members, bypass moderation for them), and Bob's mailbox forwarding to Sales.
   */
  async function salesDependants(
    name: string,
    links: Record<string, string[]> = {
      AcceptMessagesOnlyFromDLMembers: ['sales@contoso.com'],
      BypassModerationFromSendersOrMembers: ['sales@contoso.com'],
    },
  ): Promise<void> {
    await exo.newDistributionGroup({ name, managedBy: ['alice'] });
    await exo.addMember(name, 'sales@contoso.com');
    await exo.setDistributionGroup(name, links);
    await exo.setForwardingAddress(
      { identity: 'bob', recipientTypeDetails: 'UserMailbox' },
      'sales@contoso.com',
    );
  }
  /** Each dependant as `<link>:<recipient name>`, sorted. */
  const names = (found: CloudDependant[]) => found.map((f) => `${f.link}:${f.recipient.name}`).sort();

  it('finds cloud-only groups and mailboxes that reference a group by its Exchange DN', async () => {
    await salesDependants('Parent');
    const sales = await exo.getDistributionGroup('sales@contoso.com');
    const found = await exo.findCloudDependants(sales!.distinguishedName);
    expect(names(found)).toEqual(
      expect.arrayContaining([
        'Members:Parent',
        'AcceptMessagesOnlyFromDLMembers:Parent',
        'BypassModerationFromDLMembers:Parent',
        'ForwardingAddress:Bob',
      ]),
    );
    // Send-on-behalf can name security groups only (Set-DistributionGroup.md): found for one.
    await exo.setDistributionGroup('Parent', { GrantSendOnBehalfTo: ['admins@contoso.com'] });
    const admins = await exo.getDistributionGroup('admins@contoso.com');
    const forAdmins = await exo.findCloudDependants(admins!.distinguishedName);
    expect(forAdmins.map((f) => `${f.link}:${f.recipient.name}`)).toContain('GrantSendOnBehalfTo:Parent');
  });

  it('asks each cmdlet only for filters it documents (the simulator refuses the others)', async () => {
    const sales = await exo.getDistributionGroup('sales@contoso.com');
    t.sim.resetCalls(t.tenantId);
    const failuresBefore = conn.transport.stats().failures;
    await exo.findCloudDependants(sales!.distinguishedName);
    // Every query answered (none refused), Get-DynamicDistributionGroup included.
    const calls = t.sim.calls(t.tenantId).cmdlets;
    expect(calls['Get-DynamicDistributionGroup']).toBe(5);
    expect(conn.transport.stats().failures).toBe(failuresBefore);
  });

  it('with a tenant-wide index: the same dependants (forwarding included) from two questions per group, staging DLs made later included', async () => {
    await salesDependants('Parent2', {
      AcceptMessagesOnlyFromDLMembers: ['sales@contoso.com'],
      RejectMessagesFromDLMembers: ['admins@contoso.com'],
      GrantSendOnBehalfTo: ['admins@contoso.com'],
    });
    t.sim.resetCalls(t.tenantId);
    const index = await exo.readCloudDependantsIndex();
    expect(index.calls).toBe(8);
    // Created after the index was read: only the staging-name question finds it.
    await exo.newDistributionGroup({ name: 'dlmigrate-staging-x1', managedBy: ['admins@contoso.com'] });
    await exo.setDistributionGroup('dlmigrate-staging-x1', {
      AcceptMessagesOnlyFromDLMembers: ['sales@contoso.com'],
      BypassModerationFromSendersOrMembers: ['sales@contoso.com'],
    });

    for (const address of ['sales@contoso.com', 'admins@contoso.com']) {
      const group = (await exo.getDistributionGroup(address))!;
      const scanned = await exo.findCloudDependants(group.distinguishedName);
      t.sim.resetCalls(t.tenantId);
      const indexed = await exo.findCloudDependants(group.distinguishedName, {
        index,
        name: group.name,
        alsoGroupsLike: 'dlmigrate-staging-*',
      });
      expect(names(indexed)).toEqual(names(scanned));
      // Membership and the staging DLs: forwarding comes from the index like the restriction and owner links.
      expect(Object.values(t.sim.calls(t.tenantId).cmdlets).reduce((a, b) => a + b, 0)).toBe(2);
    }
    const sales = (await exo.getDistributionGroup('sales@contoso.com'))!;
    const found = await exo.findCloudDependants(sales.distinguishedName, {
      index,
      name: sales.name,
      alsoGroupsLike: 'dlmigrate-staging-*',
    });
    expect(found.map((f) => `${f.link}:${f.recipient.name}`)).toEqual(
      expect.arrayContaining([
        'Members:Parent2',
        'AcceptMessagesOnlyFromDLMembers:Parent2',
        'ForwardingAddress:Bob',
        'AcceptMessagesOnlyFromDLMembers:dlmigrate-staging-x1',
        'BypassModerationFromDLMembers:dlmigrate-staging-x1',
      ]),
    );
  });

  it('re-reads only the dependants a scan found, by id: one call per object, one Members filter; a link removed or an object gone is no longer found', async () => {
    await salesDependants('Parent3');
    const sales = (await exo.getDistributionGroup('sales@contoso.com'))!;
    const group = { dn: sales.distinguishedName, name: sales.name };
    const scanned = await exo.findCloudDependants(sales.distinguishedName);

    t.sim.resetCalls(t.tenantId);
    expect(names(await exo.cloudDependantsStill(scanned, group))).toEqual(names(scanned));
    const objects = new Set(scanned.filter((d) => d.link !== 'Members').map((d) => d.recipient.guid));
    expect(Object.values(t.sim.calls(t.tenantId).cmdlets).reduce((a, b) => a + b, 0)).toBe(objects.size + 1);

    await exo.setDistributionGroup('Parent3', { AcceptMessagesOnlyFromSendersOrMembers: [] });
    await exo.removeMember('Parent3', 'sales@contoso.com');
    await exo.setForwardingAddress({ identity: 'bob', recipientTypeDetails: 'UserMailbox' }, null);
    const after = names(await exo.cloudDependantsStill(scanned, group));
    expect(after).toContain('BypassModerationFromDLMembers:Parent3');
    for (const gone of [
      'AcceptMessagesOnlyFromDLMembers:Parent3',
      'Members:Parent3',
      'ForwardingAddress:Bob',
    ])
      expect(after).not.toContain(gone);
    await exo.removeDistributionGroup('Parent3');
    expect(names(await exo.cloudDependantsStill(scanned, group))).not.toContain(
      'BypassModerationFromDLMembers:Parent3',
    );
  });
});

describe('fidelity: answers only a careful client gets right', () => {
  it('Send-As held by a group: rights of a security group, none for a distribution list (refused as trustee)', async () => {
    await exo.addSendAs('sales@contoso.com', 'admins@contoso.com');
    expect((await exo.getSendAsHeldBy('admins@contoso.com')).length).toBe(1);
    await expect(exo.getRecipientPermissions({ trustee: 'sales@contoso.com' })).rejects.toBeInstanceOf(
      ExoValidationError,
    );
    expect(await exo.getSendAsHeldBy('sales@contoso.com')).toEqual([]);
    await exo.removeSendAs('sales@contoso.com', 'admins@contoso.com');
  });

  it('an address held by a soft-deleted recipient is not free', async () => {
    t.sim.seedRecipients(t.tenantId, [
      { type: 'UserMailbox', name: 'Gone', primarySmtpAddress: 'gone@contoso.com', softDeleted: true },
    ]);
    expect(await exo.getRecipient('gone@contoso.com')).toBeNull();
    expect((await exo.getRecipient('gone@contoso.com', { includeSoftDeleted: true }))?.name).toBe('Gone');
    expect(await exo.isAddressFree('gone@contoso.com')).toBe(false);
    expect(await exo.isAddressFree('never-used@contoso.com')).toBe(true);
    const sales = await exo.getDistributionGroup('sales@contoso.com');
    expect(await exo.isAddressFree('sales@contoso.com', sales!.externalDirectoryObjectId)).toBe(true);
  });

  it('tells whether the app may use BypassSecurityGroupManagerCheck', async () => {
    expect(await exo.canBypassSecurityGroupManagerCheck()).toBe(true);
    const recipientAdmin = t.sim.registerApp(t.tenantId, {
      certificates: [t.cert.certPem],
      directoryRoles: ['Exchange Recipient Administrator'],
    });
    const c2 = await t.connect({ clientId: recipientAdmin.clientId });
    expect(await c2.exchange.canBypassSecurityGroupManagerCheck()).toBe(false);
    c2.close();
    const withRole = t.sim.registerApp(t.tenantId, {
      certificates: [t.cert.certPem],
      directoryRoles: ['Exchange Recipient Administrator'],
      exchangeRoles: ['Security Group Creation and Membership'],
    });
    const c3 = await t.connect({ clientId: withRole.clientId });
    expect(await c3.exchange.canBypassSecurityGroupManagerCheck()).toBe(true);
    c3.close();
    // A Global Reader has no Set-DistributionGroup at all: no bypass either (not an error).
    const reader = t.sim.registerApp(t.tenantId, {
      certificates: [t.cert.certPem],
      directoryRoles: ['Global Reader'],
    });
    const c4 = await t.connect({ clientId: reader.clientId });
    expect(await c4.exchange.canBypassSecurityGroupManagerCheck()).toBe(false);
    c4.close();
  });
});
