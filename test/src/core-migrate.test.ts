// One group end to end through the engine's public API: groups.sales (every carried attribute and link set) moves
// from the Samba lab to the simulated tenant, with cloud-only dependants and Send-As seeded in the tenant first.
import { createSyncTrigger, MigrationEngine } from '@dlmigrate/core';
import { describe, expect, it } from 'vitest';
import { expectCloudDependantsRewired, seedCloudDependants } from './cloud-dependants.js';
import { MEMBERS_OF, membersOfReports, withoutMembersOf } from './members-of.js';
import { directoryView, tenantView, viewDiff } from './views.js';
import { useWorld, sharedLab } from './world.js';

const w = useWorld(sharedLab());

const names = (values: readonly string[]) => [...values].sort();

describe('migrate (recreate): groups.sales', () => {
  it('moves every member, address, setting, restriction, owner, moderator, permission and dependant', async () => {
    await w.reset();
    await seedCloudDependants(w);
    const { exchange } = w.cloud;
    const before = (await exchange.getDistributionGroup('sales@contoso.com'))!;
    expect(before.isDirSynced).toBe(true);
    const sales = w.objects['groups.sales']!;
    const nonSync = w.objects['ous.nonSync']!.dn;

    const events: string[] = [];
    const outcome = await w.engine.migrate(
      'sales@contoso.com',
      { nonSyncOu: nonSync },
      { onEvent: (e) => events.push(`${e.step}:${e.event}`) },
    );
    // Every "members of Sales" restriction is reported, naming the object and attribute (issue 14): their synced
    // copies in Exchange Online can no longer expand to the members of the cloud-managed group.
    expect(withoutMembersOf(outcome.report.findings)).toEqual([]);
    const dn = (key: string) => w.objects[key]!.dn;
    expect(membersOfReports(outcome.report.findings)).toEqual(
      [
        `${dn('groups.board')} dLMemSubmitPerms`,
        `${dn('groups.board')} msExchBypassModerationFromDLMembersLink`,
        `${dn('groups.partners')} dLMemRejectPerms`,
        `${dn('users.mallory')} dLMemSubmitPerms`,
      ].sort(),
    );
    const rejected = outcome.report.findings.find(
      (f) => f.code === MEMBERS_OF && f.subject === dn('groups.partners'),
    )!;
    expect(rejected.severity).toBe('needs-action');
    expect(rejected.message).toMatch(/the members of Sales are no longer rejected/);
    expect(outcome.status).toBe('completed_with_warnings');
    expect(events).toContain('dispose:completed');
    // verify re-read everything it carried and found it all
    expect(outcome.report.verification).toMatchObject({ differences: 0 });
    expect(outcome.report.verification!.checked).toBeGreaterThan(60);
    expect(events.indexOf('verify:completed')).toBeGreaterThan(events.indexOf('rewire-cloud:completed'));

    // ── cloud: a cloud-managed DL with the group's whole identity ──
    const after = (await exchange.getDistributionGroup('sales@contoso.com'))!;
    expect(after.isDirSynced).toBe(false);
    expect(after.guid).not.toBe(before.guid);
    expect(after).toMatchObject({
      name: 'Sales',
      alias: 'sales',
      displayName: 'Sales Team',
      primarySmtpAddress: 'sales@contoso.com',
    });
    const onPremProxies = sales.attributes['proxyAddresses']!;
    const lower = after.emailAddresses.map((a) => a.toLowerCase());
    for (const proxy of [...onPremProxies, ...before.emailAddresses])
      expect(lower).toContain(proxy.toLowerCase());
    expect(lower).toContain(`x500:${sales.attributes['legacyExchangeDN']![0]!.toLowerCase()}`);
    expect(lower).toContain(`x500:${before.legacyExchangeDN.toLowerCase()}`);
    expect(lower).toContain('smtp:sales@contoso.mail.onmicrosoft.com');
    expect(after.emailAddresses.filter((a) => a.startsWith('SMTP:'))).toEqual(['SMTP:sales@contoso.com']);
    expect(lower.some((a) => a.includes('dlmigrate-staging'))).toBe(false);

    const members = await exchange.getDistributionGroupMembers('sales@contoso.com');
    expect(names(members.map((m) => m.name))).toEqual(
      names([
        'Alice Anders',
        'Bob Berg',
        'Dave Dunn',
        'Erin Evans',
        "Seán O'Brien",
        'Paul Partner',
        'Vera Vendor',
        'Legacy',
      ]),
    );
    expect(names(after.managedBy)).toEqual(names(['Alice Anders', 'Bob Berg', 'Sales Admins']));
    expect(after.moderatedBy).toEqual(['Carol Clark']);
    expect(after.moderationEnabled).toBe(true);
    expect(names(after.bypassModerationFromSendersOrMembers)).toEqual(names(['Judy Jones', 'Executives']));
    expect(names(after.acceptMessagesOnlyFromSendersOrMembers)).toEqual(
      names(['Heidi Hahn', 'Paul Partner', 'Alice Anders', 'Executives']),
    );
    expect(names(after.rejectMessagesFromSendersOrMembers)).toEqual(names(['Ivan Ilic', 'Contractors']));
    expect(after.grantSendOnBehalfTo).toEqual(['Dave Dunn']);
    expect(after.settings).toMatchObject({
      memberJoinRestriction: 'Open',
      memberDepartRestriction: 'Open',
      requireSenderAuthenticationEnabled: true,
      hiddenFromAddressListsEnabled: false,
      reportToOriginatorEnabled: true,
      reportToManagerEnabled: false,
      sendOofMessageToOriginatorEnabled: true,
      sendModerationNotifications: 'Always',
      bypassNestedModerationEnabled: false,
      customAttribute1: 'sales-ext1',
      customAttribute15: 'sales-ext15',
      extensionCustomAttribute1: ['region:emea', 'region:apac'],
      extensionCustomAttribute5: ['c5-a', 'c5-b'],
    });
    const sendAs = await exchange.getRecipientPermissions({ identity: 'sales@contoso.com' });
    expect(sendAs.map((p) => p.trustee)).toContain('alice@contoso.com');

    // cloud-only dependants now name the new DL
    await expectCloudDependantsRewired(w);

    // ── on-premises: retained as "Sales!", mail-disabled, stamped, back in its OU; a routing contact stands in ──
    expect(await w.ad.findByAddress('sales@contoso.com')).toEqual([]);
    const groupsOu = w.objects['ous.groups']!.dn;
    const retained = await w.ad.readGroup(`CN=Sales!,${groupsOu}`);
    expect(retained.objectGuid).toBe(sales.objectGUID);
    expect(retained.sAMAccountName).toBe(`${sales.samAccountName}!`);
    expect(retained.mail).toBeUndefined();
    expect(retained.proxyAddresses).toEqual([]);
    expect(retained.marker).toEqual({ tag: 'MigratedByScript', value: 'sales@contoso.com' });
    expect(retained.links.member).toHaveLength(8);

    const [contactMatch] = await w.ad.findByAddress('sales-MigratedByScript@contoso.com');
    expect(contactMatch?.dn).toBe(`CN=Sales-MigratedByScript,${groupsOu}`);
    const contact = (await w.ad.resolveRecipients([contactMatch!.dn])).recipients.values().next().value!;
    expect(contact.kind).toBe('routing-contact');
    expect(contact.targetAddress).toBe('SMTP:SALES@CONTOSO.MAIL.ONMICROSOFT.COM');
    expect(contact.marker?.value).toBe(after.externalDirectoryObjectId);

    // on-prem dependants now name the routing contact; their "members of" links still name the retained group
    const read = async (key: string, attribute: string) =>
      (await w.ad.connection.read(w.objects[key]!.dn, { attributes: [attribute] }))!.strings(attribute);
    expect(await read('groups.partners', 'dLMemRejectPerms')).toEqual([retained.dn]);
    expect(await read('groups.board', 'dLMemSubmitPerms')).toEqual([retained.dn]);
    expect(await read('groups.allStaff', 'member')).toContain(contactMatch!.dn);
    expect(await read('users.grace', 'altRecipient')).toEqual([contactMatch!.dn]);
    expect(await read('users.mallory', 'authOrig')).toContain(contactMatch!.dn);
    expect(await read('groups.board', 'authOrig')).toContain(contactMatch!.dn);
    expect(await read('groups.board', 'msExchBypassModerationLink')).toContain(contactMatch!.dn);
    expect(await read('groups.partners', 'unauthOrig')).toContain(contactMatch!.dn);

    // the report tells the same story
    const report = (await w.engine.report(outcome.migrationId))!;
    expect(report.status).toBe('completed_with_warnings');
    // Named as the directory names the group (read from the group as captured).
    expect(report.group).toEqual({ address: 'sales@contoso.com', displayName: 'Sales Team' });
    expect(report.steps.map((s) => `${s.name}:${s.status}`)).toContain('hybrid-mail-flow:skipped');
  }, 300_000);

  it('plans without changing anything, then carries the plan out on resume', async () => {
    await w.reset();
    const keys = ['groups.sales', 'groups.allStaff', 'users.grace'];
    const directoryBefore = await directoryView(w, keys);
    const tenantBefore = tenantView(w);

    const plan = await w.engine.plan('sales@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
      hybridMailFlow: true,
    });
    expect(plan.status).toBe('planned');
    // Nothing stands in the way, and the group could even be converted in place (no outage at all).
    expect(plan.findings.map((f) => `${f.code}:${f.severity}`)).toEqual(['CONVERT_RECOMMENDED:info']);
    // plan says which restrictions lose their "members of" meaning before anything changes
    expect(
      plan.changes
        .filter((c) => c.step === 'rewire-onprem' && c.object === w.objects['groups.partners']!.dn)
        .map((c) => c.action)
        .sort(),
    ).toEqual([
      'add the routing contact to unauthOrig',
      'add the routing contact to unauthOrig (was "members of" in dLMemRejectPerms: the group\'s members no longer count there, MEMBERS_OF_RESTRICTION_CHANGED)',
    ]);
    // the plan names what verify will compare: every member, address, link list and dependant
    const planned = (attribute: string, side = 'cloud', object = 'sales@contoso.com') =>
      plan.verifies.find((c) => c.side === side && c.object === object && c.attribute === attribute)?.values;
    expect(planned('Members')).toBe(8);
    expect(planned('ManagedBy')).toBe(3);
    expect(planned('authOrig', 'on-premises', w.objects['users.mallory']!.dn)).toBe(1);
    expect(planned('EmailAddresses')).toBeGreaterThanOrEqual(5);
    expect([...new Set(plan.changes.map((c) => c.step))]).toEqual([
      'stage',
      'park',
      'await-deletion',
      'take-over',
      'dispose',
      'routing-contact',
      'hybrid-mail-flow',
      'rewire-onprem',
    ]);
    expect(plan.changes.find((c) => c.step === 'park')?.action).toBe(
      `move to ${w.objects['ous.nonSync']!.dn}`,
    );
    expect(plan.changes.filter((c) => c.step === 'rewire-onprem').map((c) => c.object)).toEqual(
      expect.arrayContaining([w.objects['groups.allStaff']!.dn, w.objects['users.grace']!.dn]),
    );
    expect(await directoryView(w, keys)).toEqual(directoryBefore);
    expect(viewDiff(tenantBefore, tenantView(w))).toEqual([]);

    const outcome = await w.engine.resume(plan.migrationId);
    expect(outcome.status).toBe('completed_with_warnings');
    expect(withoutMembersOf(outcome.report.findings)).toEqual([]);
    // hybrid mail flow: a dynamic DL in the original OU holds the original addresses and routes to the contact
    const [dynamic] = await w.ad.findByAddress('sales@contoso.com');
    expect(dynamic?.objectClass).toBe('msExchDynamicDistributionList');
    expect(dynamic?.dn).toBe(`CN=Sales,${w.objects['ous.groups']!.dn}`);
    const entry = (await w.ad.connection.read(dynamic!.dn, {
      attributes: ['proxyAddresses', 'msExchDynamicDLFilter'],
    }))!;
    expect(entry.strings('proxyAddresses').map((p) => p.toLowerCase())).toEqual(
      expect.arrayContaining(['smtp:sales@contoso.com', 'smtp:vertrieb@contoso.com']),
    );
    expect(entry.strings('proxyAddresses').map((p) => p.toLowerCase())).not.toContain(
      'smtp:sales@contoso.mail.onmicrosoft.com',
    );
    // The routing contact and the dynamic DL each get a legacyExchangeDN of their own in the group's organisation
    // (packages/ad/README.md, "Objects created"; the full list is pinned by packages/ad/test/exchange-stamp.test.ts).
    const [contact] = await w.ad.findByAddress('sales-MigratedByScript@contoso.com');
    const stamps = await Promise.all(
      [dynamic!.dn, contact!.dn].map(async (dn) =>
        (await w.ad.connection.read(dn, { attributes: ['legacyExchangeDN'] }))!.string('legacyExchangeDN')!,
      ),
    );
    for (const stamp of stamps)
      expect(stamp).toMatch(
        /^\/o=Contoso\/ou=Exchange Administrative Group \(FYDIBOHF23SPDLT\)\/cn=Recipients\/cn=/,
      );
    expect(new Set(stamps).size).toBe(2);
  }, 300_000);

  it('migrates a mail-enabled security group as a security group and keeps it on-premises even when asked to delete', async () => {
    await w.reset();
    // A cloud mailbox that lets the group send on its behalf (a security group can be a delegate).
    w.sim.seedRecipients(w.tenantId, [
      { type: 'UserMailbox', name: 'Cloud Boss', primarySmtpAddress: 'cloud.boss@contoso.com' },
    ]);
    await w.cloud.exchange.changeGrantSendOnBehalfTo(
      { identity: 'cloud.boss@contoso.com', recipientTypeDetails: 'UserMailbox' },
      { add: ['finance@contoso.com'] },
    );
    const outcome = await w.engine.migrate('finance@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
      retainOriginalGroup: false,
    });
    expect(outcome.status).toBe('completed');
    expect(outcome.report.findings.map((f) => `${f.code}:${f.severity}`)).toEqual(['RETENTION_FORCED:info']);
    const dl = (await w.cloud.exchange.getDistributionGroup('finance@contoso.com'))!;
    expect(dl.isDirSynced).toBe(false);
    expect(dl.recipientTypeDetails).toBe('MailUniversalSecurityGroup');
    expect(dl.settings).toMatchObject({
      hiddenFromAddressListsEnabled: true,
      memberJoinRestriction: 'Closed',
      memberDepartRestriction: 'Closed',
      requireSenderAuthenticationEnabled: false,
      reportToManagerEnabled: true,
      reportToOriginatorEnabled: false,
      moderationEnabled: false,
      sendModerationNotifications: 'Never',
      extensionCustomAttribute2: ['q1', 'q2', 'q3', 'q4'],
    });
    expect([...dl.grantSendOnBehalfTo].sort()).toEqual(['Alice Anders', 'Bob Berg']);
    expect(dl.emailAddresses.map((a) => a.toLowerCase())).toContain('smtp:fin@contoso.com');
    const retained = await w.ad.findByGuid(w.objects['groups.finance']!.objectGUID);
    expect(retained?.dn).toBe(`CN=Finance!,${w.objects['ous.groups']!.dn}`);
    // The cloud-only delegate now names the new group (cloud rewire).
    expect((await w.cloud.exchange.getMailbox('cloud.boss@contoso.com'))!.grantSendOnBehalfTo).toEqual([
      'Finance',
    ]);
  }, 300_000);

  it('stays parked at the deletion deadline when asked to, and finishes on resume', async () => {
    await w.reset();
    const options = {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
      onDeletionDeadline: 'stay-parked' as const,
      deadlines: { cloudDeletionMinutes: 0.02 },
    };
    const noSync = new MigrationEngine({ ...w.deps, sync: createSyncTrigger({ kind: 'none' }) });
    const parked = await noSync.migrate('sales@contoso.com', options);
    expect(parked).toMatchObject({ status: 'parked', step: 'await-deletion' });
    expect((await w.ad.findByGuid(w.objects['groups.sales']!.objectGUID))?.dn).toBe(
      `CN=Sales,${w.objects['ous.nonSync']!.dn}`,
    );
    expect((await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))?.isDirSynced).toBe(true);

    const finished = await w.engine.resume(parked.migrationId); // this engine's sync trigger runs the sync
    expect(finished.status).toBe('completed_with_warnings');
    expect(withoutMembersOf(finished.report.findings)).toEqual([]);
    expect((await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))?.isDirSynced).toBe(false);
  }, 300_000);

  it('triggers the sync through the Graph Cloud Sync job API (sync trigger graph-cloud-sync)', async () => {
    await w.reset();
    const job = w.sim.tenant(w.tenantId).cloudSyncJob;
    const sync = createSyncTrigger(
      { kind: 'graph-cloud-sync', servicePrincipalId: job.servicePrincipalId, jobId: job.jobId },
      w.cloud.graph,
    );
    const outcome = await new MigrationEngine({ ...w.deps, sync }).migrate('finance@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
    });
    expect(outcome.status).toBe('completed');
    expect(Object.keys(w.sim.calls(w.tenantId).graph).some((k) => k.includes('synchronization/jobs'))).toBe(
      true,
    );
  }, 300_000);

  it('completes under Exchange Online throttling (429 with Retry-After)', async () => {
    await w.reset();
    w.sim.setThrottling(w.tenantId, { requestsPerWindow: 10, windowSeconds: 1, maxConcurrent: 2 });
    try {
      const outcome = await w.engine.migrate('finance@contoso.com', {
        nonSyncOu: w.objects['ous.nonSync']!.dn,
      });
      expect(outcome.status).toBe('completed');
      expect(w.sim.calls(w.tenantId).throttled).toBeGreaterThan(0);
    } finally {
      w.sim.setThrottling(w.tenantId, { requestsPerWindow: 0, windowSeconds: 1, maxConcurrent: 0 });
    }
  }, 300_000);

  it('migrates a group of 3,001 members with one membership replace and bulk lookups', async () => {
    await w.reset();
    w.sim.resetCalls(w.tenantId);
    const outcome = await w.engine.migrate('bulkusers@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
    });
    expect(outcome.status).toBe('completed');
    expect((await w.cloud.exchange.getDistributionGroupMembers('bulkusers@contoso.com')).length).toBe(3001);
    const calls = w.sim.calls(w.tenantId).cmdlets;
    expect(calls['Update-DistributionGroupMember']).toBe(1);
    expect(calls['Add-DistributionGroupMember'] ?? 0).toBe(0);
    expect(calls['Get-Recipient']).toBeLessThan(100); // bulk filters, not one lookup per member
  }, 300_000);
});
