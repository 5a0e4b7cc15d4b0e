// The verify step proves the carry-over on every run: 0 differences after a migration and after a restore (with
// cloud-only dependants and cloud Send-As that the restore has to give back), and a carry-over broken for real in the
// tenant (the simulator's test-only lost write) shows up as a needs-action finding naming object and attribute.
import { collectPermissions } from '@dlmigrate/core';
import { addRemove } from '@dlmigrate/exo';
import { describe, expect, it } from 'vitest';
import { seedCloudDependants } from './cloud-dependants.js';
import { withoutMembersOf } from './members-of.js';
import { migrateCarryingSendOnBehalf } from './send-on-behalf.js';
import { useWorld } from './world.js';

const w = useWorld('verify');

describe('verify', () => {
  it('reports a value the tenant lost, keeps the migration from plain "completed", and clears once it is fixed', async () => {
    await w.reset();
    // Stage sends CustomAttribute1 with the other settings; the tenant answers success and drops it.
    w.sim.injectLostWrite(w.tenantId, {
      cmdlet: 'Set-DistributionGroup',
      parameter: 'CustomAttribute1',
      count: 1,
    });
    const outcome = await w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
    expect(outcome.status).toBe('completed_with_warnings');
    expect(outcome.report.verification).toMatchObject({ differences: 1 });
    expect(outcome.report.verification!.summary).toBe(
      `${outcome.report.verification!.checked} values checked, 1 difference`,
    );
    expect(withoutMembersOf(outcome.report.findings)).toEqual([
      expect.objectContaining({
        code: 'VERIFY_DIFFERENCE',
        severity: 'needs-action',
        subject: 'sales@contoso.com',
        attribute: 'CustomAttribute1',
        step: 'verify',
      }),
    ]);
    expect(withoutMembersOf(outcome.report.findings)[0]!.message).toContain('sales-ext1');

    // Later, on demand: the administrator sets the value, verify finds nothing left and the status follows.
    await w.cloud.exchange.setDistributionGroup('sales@contoso.com', { CustomAttribute1: 'sales-ext1' });
    const again = await w.engine.verify(outcome.migrationId);
    // (the "members of Sales" restrictions stay reported: members-of.ts)
    expect(again).toMatchObject({ differences: 0, status: 'completed_with_warnings' });
    const report = (await w.engine.report(outcome.migrationId))!;
    expect(report.status).toBe('completed_with_warnings');
    expect(withoutMembersOf(report.findings)).toEqual([]);
    expect(report.verification).toMatchObject({ differences: 0, step: 'verify' });
    // The migration's finish is read from the stored report by its schema: kept as it was, and a damaged report is
    // refused by name rather than taken as a date.
    expect(report.finishedAt).toBe(outcome.report.finishedAt);
    await w.state.putReport(outcome.migrationId, { ...JSON.parse(JSON.stringify(report)), finishedAt: 5 });
    await expect(w.engine.verify(outcome.migrationId)).rejects.toMatchObject({
      code: 'STORED_DOCUMENT_INVALID',
    });
  }, 300_000);

  it('finds the on-demand differences of cloud dependants and on-prem dependants', async () => {
    await w.reset();
    await seedCloudDependants(w);
    const outcome = await w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
    expect(outcome.status).toBe('completed_with_warnings'); // members-of.ts
    expect(outcome.report.verification).toMatchObject({ differences: 0 });

    // Verify re-reads only the dependants capture found (by id), and still sees each one that let go of the group.
    await w.cloud.exchange.removeMember('cloud.fans@contoso.com', 'sales@contoso.com');
    await w.cloud.exchange.setDistributionGroup('cloud.restricted@contoso.com', {
      AcceptMessagesOnlyFromSendersOrMembers: [],
    });
    await w.cloud.exchange.setForwardingAddress(
      { identity: 'cloud.fwd@contoso.com', recipientTypeDetails: 'UserMailbox' },
      null,
    );
    const contact = (await w.ad.findByAddress('sales-MigratedByScript@contoso.com'))[0]!;
    await w.ad.connection.modify(w.objects['users.mallory']!.dn, [
      { operation: 'delete', attribute: 'authOrig', values: [contact.dn] },
    ]);
    const result = await w.engine.verify(outcome.migrationId);
    expect(result).toMatchObject({ differences: 4, status: 'completed_with_warnings' });
    const findings = (await w.engine.report(outcome.migrationId))!.findings;
    expect(
      withoutMembersOf(findings)
        .map((f) => `${f.code} ${f.subject} ${f.attribute}`)
        .sort(),
    ).toEqual(
      [
        'VERIFY_DIFFERENCE cloud.fans@contoso.com Members',
        'VERIFY_DIFFERENCE cloud.restricted@contoso.com AcceptMessagesOnlyFromDLMembers',
        'VERIFY_DIFFERENCE cloud.fwd@contoso.com ForwardingAddress',
        `VERIFY_DIFFERENCE ${w.objects['users.mallory']!.dn} authOrig`,
      ].sort(),
    );
  }, 300_000);

  it('reports values present but never captured — an extra member, address and Send-As trustee — as differences', async () => {
    await w.reset();
    w.sim.seedRecipients(w.tenantId, [
      { type: 'UserMailbox', name: 'Extra Person', primarySmtpAddress: 'extra.person@contoso.com' },
    ]);
    const outcome = await w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
    // The addresses the product adds on purpose (both X500s, the routing address) are expected, not extras.
    expect(outcome.report.verification).toMatchObject({ differences: 0 });
    const { exchange } = w.cloud;
    await exchange.addMember('sales@contoso.com', 'extra.person@contoso.com');
    await exchange.setDistributionGroup('sales@contoso.com', {
      EmailAddresses: addRemove({ add: ['smtp:sales.extra@contoso.com'] }),
    });
    await exchange.addSendAs('sales@contoso.com', 'extra.person@contoso.com');
    const result = await w.engine.verify(outcome.migrationId);
    expect(result).toMatchObject({ differences: 3, status: 'completed_with_warnings' });
    const findings = (await w.engine.report(outcome.migrationId))!.findings.filter(
      (f) => f.code === 'VERIFY_DIFFERENCE',
    );
    expect(findings.map((f) => `${f.code} ${f.subject} ${f.attribute}`).sort()).toEqual([
      'VERIFY_DIFFERENCE sales@contoso.com EmailAddresses',
      'VERIFY_DIFFERENCE sales@contoso.com Members',
      'VERIFY_DIFFERENCE sales@contoso.com SendAs',
    ]);
    for (const f of findings) expect(f.message).toContain('which was not captured');
    expect(findings.find((f) => f.attribute === 'EmailAddresses')!.message).toContain(
      'smtp:sales.extra@contoso.com',
    );
  }, 300_000);

  it('a group named in the restrictions of a group migrated after it: 0 differences (compared by identity)', async () => {
    await w.reset();
    const nonSyncOu = w.objects['ous.nonSync']!.dn;
    const sales = await w.engine.migrate('sales@contoso.com', { nonSyncOu });
    expect(sales.status).toBe('completed_with_warnings'); // members-of.ts
    // partners rejects Sales (unauthOrig, dLMemRejectPerms) and board accepts from it: on-prem Sales is now the
    // retained group ("Sales!") or the routing contact, each standing for the cloud DL named "Sales".
    for (const address of ['partners@contoso.com', 'board@contoso.com']) {
      const outcome = await w.engine.migrate(address, { nonSyncOu });
      expect(
        outcome.report.findings.filter((f) => f.code === 'VERIFY_DIFFERENCE').map((f) => f.message),
      ).toEqual([]);
      expect(outcome.report.verification).toMatchObject({ differences: 0 });
      // finance rejects the members of partners: that restriction is reported (members-of.ts)
      expect(withoutMembersOf(outcome.report.findings).filter((f) => f.severity !== 'info')).toEqual([]);
      expect(outcome.status).toBe(
        address === 'partners@contoso.com' ? 'completed_with_warnings' : 'completed',
      );
    }
    // Migrated too, partners names the new group again: "members of Sales" rejected, as before (rewire-onprem.ts).
    const { exchange } = w.cloud;
    const partners = (await exchange.getDistributionGroup('partners@contoso.com'))!;
    expect(partners.rejectMessagesFromSendersOrMembers).toEqual(['Sales']);
  }, 600_000); // three migrations, each with the final sync of its dependants

  it('after a restore, cloud-only dependants and cloud Send-As name the synced group again: 0 differences', async () => {
    await w.reset();
    await seedCloudDependants(w);
    const migrated = await w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
    expect(migrated.status).toBe('completed_with_warnings'); // members-of.ts
    const restored = await w.engine.restore(migrated.migrationId);
    expect(restored.status).toBe('restored');
    expect(restored.verification).toMatchObject({ differences: 0 });
    expect(restored.verification!.checked).toBeGreaterThan(30);
    const { exchange } = w.cloud;
    const synced = (await exchange.getDistributionGroup('sales@contoso.com'))!;
    expect(synced.isDirSynced).toBe(true);
    expect(
      (await exchange.getDistributionGroupMembers('cloud.fans@contoso.com')).map((m) => m.name),
    ).toContain('Sales');
    expect((await exchange.getMailbox('cloud.fwd@contoso.com'))!.forwardingAddress).toBe('Sales');
    const sendAs = await exchange.getRecipientPermissions({ identity: 'sales@contoso.com' });
    expect(sendAs.map((p) => p.trustee)).toContain('alice@contoso.com');
    expect(await w.engine.verify(migrated.migrationId)).toMatchObject({
      differences: 0,
      status: 'rolled_back',
    });
  }, 300_000);

  it('carries FullAccess the group holds on a shared mailbox (from the permission collection) and verifies it', async () => {
    await w.reset();
    w.sim.seedRecipients(w.tenantId, [
      { type: 'SharedMailbox', name: 'Finance Shared', primarySmtpAddress: 'finance.shared@contoso.com' },
    ]);
    const { exchange } = w.cloud;
    await exchange.addFullAccess('finance.shared@contoso.com', 'finance@contoso.com');
    const collected = await collectPermissions(exchange, w.state, {
      scope: ['finance.shared@contoso.com', 'cloud.nobody@contoso.com'],
      concurrency: 2,
    });
    expect(collected).toMatchObject({ scanned: 2, pending: 0, resumed: false });
    expect(await w.state.findPermissionsHeldBy(['Finance'])).toEqual([
      expect.objectContaining({ mailbox: 'finance.shared@contoso.com', kind: 'FullAccess' }),
    ]);

    const nonSyncOu = w.objects['ous.nonSync']!.dn;
    // plan names the right among what verify will check, and warns about a collection older than allowed
    const plan = await w.engine.plan('finance@contoso.com', { nonSyncOu, permissionsMaxAgeHours: 1e-9 });
    expect(plan.findings.map((f) => f.code)).toContain('PERMISSIONS_COLLECTION_STALE');
    expect(plan.verifies).toContainEqual({
      side: 'cloud',
      object: 'finance.shared@contoso.com',
      attribute: 'FullAccess',
      values: 1,
    });

    const outcome = await w.engine.migrate('finance@contoso.com', { nonSyncOu });
    expect(outcome.report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(outcome.report.verification).toMatchObject({ differences: 0 });
    const rights = await exchange.getMailboxPermissions('finance.shared@contoso.com');
    const finance = (await exchange.getDistributionGroup('finance@contoso.com'))!;
    expect(finance.isDirSynced).toBe(false);
    expect(rights.filter((p) => p.accessRights.includes('FullAccess')).map((p) => p.user)).toContain(
      finance.name,
    );

    // Taken away by hand afterwards: verify names the mailbox and the right.
    await exchange.removeFullAccess('finance.shared@contoso.com', finance.externalDirectoryObjectId);
    const again = await w.engine.verify(outcome.migrationId);
    expect(again.differences).toBe(1);
    const report = (await w.engine.report(outcome.migrationId))!;
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        code: 'VERIFY_DIFFERENCE',
        subject: 'finance.shared@contoso.com',
        attribute: 'FullAccess',
      }),
    );
  }, 300_000);

  it('carries send-on-behalf and Send-As the collection found on synced mailboxes, and verifies them', async () => {
    await w.reset();
    const { exchange } = w.cloud;
    // Synced user mailboxes: the live dependants read asks only cloud-only objects, so only the collection knows
    // that Alice lets Finance send on her behalf.
    const alice = { identity: 'alice@contoso.com', recipientTypeDetails: 'UserMailbox' };
    await exchange.changeGrantSendOnBehalfTo(alice, { add: ['finance@contoso.com'] });
    await exchange.addSendAs('bob@contoso.com', 'finance@contoso.com');
    // The store keeps the collection across resets: mailboxes an earlier test left rights on are read again (gone
    // now, so they hold nothing), as a fresh pass over the tenant would.
    const earlier = (await w.state.listPermissions()).map((p) => p.mailbox);
    await collectPermissions(exchange, w.state, {
      scope: [...new Set([...earlier, 'alice@contoso.com', 'bob@contoso.com'])],
    });
    expect(
      (await w.state.findPermissionsHeldBy(['Finance'])).map((p) => `${p.kind}:${p.mailbox}`).sort(),
    ).toEqual(['SendAs:bob@contoso.com', 'SendOnBehalf:alice@contoso.com']);

    const { outcome, finance } = await migrateCarryingSendOnBehalf(w);
    expect(outcome.report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const sendAs = await exchange.getRecipientPermissions({
      identity: 'bob@contoso.com',
      trustee: finance.externalDirectoryObjectId,
    });
    expect(sendAs.some((p) => p.accessRights.includes('SendAs'))).toBe(true);

    // Taken away by hand afterwards: verify names the mailbox and the right.
    await exchange.changeGrantSendOnBehalfTo(alice, { remove: [finance.externalDirectoryObjectId] });
    expect(await w.engine.verify(outcome.migrationId)).toMatchObject({ differences: 1 });
    expect((await w.engine.report(outcome.migrationId))!.findings).toContainEqual(
      expect.objectContaining({
        code: 'VERIFY_DIFFERENCE',
        subject: 'alice@contoso.com',
        attribute: 'GrantSendOnBehalfTo',
      }),
    );
  }, 300_000);

  it('carries the folder rights a collection with folders found (root, Inbox, Calendar) and verifies them', async () => {
    await w.reset();
    const { exchange } = w.cloud;
    await exchange.addMailboxFolderPermission('alice@contoso.com:\\Calendar', 'finance@contoso.com', [
      'Editor',
    ]);
    await exchange.addMailboxFolderPermission('bob@contoso.com:\\', 'finance@contoso.com', ['FolderVisible']);
    await exchange.addMailboxFolderPermission('bob@contoso.com:\\Inbox', 'finance@contoso.com', ['Reviewer']);
    // Another holder of the same folder stays as it is.
    await exchange.addMailboxFolderPermission('alice@contoso.com:\\Calendar', 'bob@contoso.com', [
      'Reviewer',
    ]);
    const earlier = (await w.state.listPermissions()).map((p) => p.mailbox);
    await collectPermissions(exchange, w.state, {
      scope: [...new Set([...earlier, 'alice@contoso.com', 'bob@contoso.com'])],
      folders: true,
    });
    const held = await w.state.findPermissionsHeldBy(['finance@contoso.com']);
    expect(
      held
        .filter((p) => p.kind === 'Folder')
        .map((p) => `${p.mailbox}:${p.folder}=${p.accessRights.join('+')}`)
        .sort(),
    ).toEqual([
      'alice@contoso.com:Calendar=Editor',
      'bob@contoso.com:=FolderVisible',
      'bob@contoso.com:Inbox=Reviewer',
    ]);

    const outcome = await w.engine.migrate('finance@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
    });
    expect(outcome.report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(outcome.report.verification).toMatchObject({ differences: 0 });
    const finance = (await exchange.getDistributionGroup('finance@contoso.com'))!;
    expect(finance.isDirSynced).toBe(false);
    const calendar = await exchange.getMailboxFolderPermissions('alice@contoso.com:\\Calendar');
    expect(calendar.map((p) => `${p.user}=${p.accessRights.join('+')}`)).toEqual(
      expect.arrayContaining([`${finance.displayName}=Editor`, 'Bob Berg=Reviewer']),
    );

    // Taken away by hand afterwards: verify names the mailbox and the folder.
    await exchange.removeMailboxFolderPermission(
      'alice@contoso.com:\\Calendar',
      finance.externalDirectoryObjectId,
    );
    expect(await w.engine.verify(outcome.migrationId)).toMatchObject({ differences: 1 });
    expect((await w.engine.report(outcome.migrationId))!.findings).toContainEqual(
      expect.objectContaining({
        code: 'VERIFY_DIFFERENCE',
        subject: 'alice@contoso.com',
        attribute: 'folder Calendar',
      }),
    );
  }, 300_000);

  it('after a restore, the collected rights name the synced group again: 0 differences', async () => {
    await w.reset();
    const { exchange } = w.cloud;
    await exchange.addMailboxFolderPermission('alice@contoso.com:\\Calendar', 'finance@contoso.com', [
      'Editor',
    ]);
    await exchange.changeGrantSendOnBehalfTo(
      { identity: 'bob@contoso.com', recipientTypeDetails: 'UserMailbox' },
      { add: ['finance@contoso.com'] },
    );
    const earlier = (await w.state.listPermissions()).map((p) => p.mailbox);
    await collectPermissions(exchange, w.state, {
      scope: [...new Set([...earlier, 'alice@contoso.com', 'bob@contoso.com'])],
      folders: true,
    });
    const migrated = await w.engine.migrate('finance@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
    });
    expect(migrated.report.verification).toMatchObject({ differences: 0 });
    const restored = await w.engine.restore(migrated.migrationId);
    expect(restored.status).toBe('restored');
    expect(restored.verification).toMatchObject({ differences: 0 });
    const synced = (await exchange.getDistributionGroup('finance@contoso.com'))!;
    expect(synced.isDirSynced).toBe(true);
    const calendar = await exchange.getMailboxFolderPermissions(
      'alice@contoso.com:\\Calendar',
      synced.externalDirectoryObjectId,
    );
    expect(calendar.map((p) => p.accessRights)).toEqual([['Editor']]);
    expect((await exchange.getMailbox('bob@contoso.com'))!.grantSendOnBehalfTo).toContain(synced.name);
  }, 300_000);

  it('gives a folder right to the right one of two recipients sharing a display name', async () => {
    await w.reset();
    const { exchange } = w.cloud;
    const finance = (await exchange.getDistributionGroup('finance@contoso.com'))!;
    // A cloud mailbox with the synced group's display name: folder listings name both alike.
    w.sim.seedRecipients(w.tenantId, [
      {
        type: 'UserMailbox',
        name: 'Finance Twin',
        displayName: finance.displayName,
        primarySmtpAddress: 'finance.twin@contoso.com',
      },
    ]);
    await exchange.addMailboxFolderPermission('alice@contoso.com:\\Inbox', 'finance@contoso.com', [
      'Reviewer',
    ]);
    await exchange.addMailboxFolderPermission('bob@contoso.com:\\Calendar', 'finance.twin@contoso.com', [
      'Editor',
    ]);
    await collectPermissions(exchange, w.state, {
      scope: ['alice@contoso.com', 'bob@contoso.com'],
      folders: true,
      restart: true,
    });
    const folderRights = async (holder: string) =>
      (await w.state.findPermissionsHeldBy([holder]))
        .filter((p) => p.kind === 'Folder')
        .map((p) => `${p.mailbox}:${p.folder}=${p.accessRights.join('+')}`);
    expect(await folderRights('finance@contoso.com')).toEqual(['alice@contoso.com:Inbox=Reviewer']);
    expect(await folderRights('finance.twin@contoso.com')).toEqual(['bob@contoso.com:Calendar=Editor']);
  }, 300_000);
});
