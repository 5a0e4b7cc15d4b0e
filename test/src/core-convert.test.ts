// In-place conversion (strategy "convert"): the synced group becomes cloud-managed where it is, after a parity
// check; the on-prem group is made harmless (retained, mail-disabled) and a routing contact stands in for it.
import { MigrationEngine } from '@dlmigrate/core';
import { describe, expect, it } from 'vitest';
import { directoryFaults, insufficientRights } from './faults.js';
import { directoryView, SALES_KEYS, tenantView, viewDiff } from './views.js';
import { withoutMembersOf } from './members-of.js';
import { useWorld, sharedLab } from './world.js';

const w = useWorld(sharedLab());

describe('convert in place', () => {
  it('converts groups.sales: same cloud object, cloud-managed, on-prem side harmless', async () => {
    await w.reset();
    const before = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    const outcome = await w.engine.migrate('sales@contoso.com', { strategy: 'convert' });
    expect(withoutMembersOf(outcome.report.findings)).toEqual([]);
    expect(outcome.status).toBe('completed_with_warnings'); // "members of Sales" restrictions (members-of.ts)
    expect(outcome.report.verification).toMatchObject({ differences: 0 });
    expect(outcome.report.verification!.checked).toBeGreaterThan(40);
    expect(outcome.report.steps.map((s) => s.name)).toEqual([
      'capture',
      'validate',
      'parity-check',
      'convert',
      'dispose',
      'routing-contact',
      'hybrid-mail-flow',
      'rewire-onprem',
      'final-sync',
      'verify',
      'report',
    ]);

    const after = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    expect(after.guid).toBe(before.guid);
    expect(after.isDirSynced).toBe(false);
    expect(await w.cloud.graph.getOnPremisesSyncBehavior(after.externalDirectoryObjectId)).toEqual({
      isCloudManaged: true,
    });
    expect([...after.emailAddresses].sort()).toEqual([...before.emailAddresses].sort());
    expect((await w.cloud.exchange.getDistributionGroupMembers('sales@contoso.com')).length).toBe(8);

    const groupsOu = w.objects['ous.groups']!.dn;
    const retained = await w.ad.readGroup(`CN=Sales!,${groupsOu}`);
    expect(retained.mail).toBeUndefined();
    expect(retained.marker?.tag).toBe('MigratedByScript');
    const [contact] = await w.ad.findByAddress('sales-MigratedByScript@contoso.com');
    expect(contact?.dn).toBe(`CN=Sales-MigratedByScript,${groupsOu}`);

    // The sync leaves the converted group alone from now on.
    const cycle = await w.sim.runSync(w.tenantId);
    expect(cycle.status).toBe('success');
    const untouched = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    expect(untouched.guid).toBe(before.guid);
    expect(untouched.isDirSynced).toBe(false);
  }, 180_000);

  it("waits for Exchange to show the conversion by its own deadline (conversionMinutes), not take-over's", async () => {
    await w.reset();
    // Exchange shows IsDirSynced = false a few seconds after the PATCH; take-over's deadline is shorter than that.
    w.sim.setBehaviour(w.tenantId, { exchangeSoaDelaySeconds: 3 });
    const outcome = await w.engine.migrate('sales@contoso.com', {
      strategy: 'convert',
      deadlines: { takeOverMinutes: 0.01, conversionMinutes: 2 },
    });
    expect(outcome.findings).toEqual([]);
    expect(outcome.status).toBe('completed_with_warnings'); // members-of.ts
    expect((await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!.isDirSynced).toBe(false);
  }, 180_000);

  it('gives up at conversionMinutes with CONVERSION_NOT_CONFIRMED and hands the group back to the directory', async () => {
    await w.reset();
    w.sim.setBehaviour(w.tenantId, { exchangeSoaDelaySeconds: 600 });
    const before = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    const outcome = await w.engine.migrate('sales@contoso.com', {
      strategy: 'convert',
      deadlines: { conversionMinutes: 0.02 },
    });
    expect(outcome.status).toBe('rolled_back');
    expect(outcome.step).toBe('convert');
    expect(outcome.report.findings.map((f) => f.code)).toContain('CONVERSION_NOT_CONFIRMED');
    expect(outcome.report.findings.map((f) => f.code)).not.toContain('UNDO_FAILED');
    expect(await w.cloud.graph.getOnPremisesSyncBehavior(before.externalDirectoryObjectId)).toEqual({
      isCloudManaged: false,
    });
  }, 180_000);

  it('refuses to convert when the cloud copy lacks an on-prem member, changing nothing', async () => {
    await w.reset();
    // A member added on-premises that no sync has carried to the cloud yet.
    await w.ad.addLinkValue(w.objects['groups.sales']!.dn, 'member', w.objects['users.heidi']!.dn);
    const directoryBefore = await directoryView(w, ['groups.sales']);
    const tenantBefore = tenantView(w);
    const outcome = await w.engine.migrate('sales@contoso.com', { strategy: 'convert' });
    expect(outcome.status).toBe('blocked');
    expect(outcome.findings).toEqual([
      expect.objectContaining({ code: 'OFFICE_365_MEMBER_NOT_FOUND_EXCEPTION', attribute: 'member' }),
    ]);
    expect(await directoryView(w, ['groups.sales'])).toEqual(directoryBefore);
    expect(viewDiff(tenantBefore, tenantView(w))).toEqual([]);
  }, 180_000);

  it('is rolled back by restore: the same cloud object handed back to the directory, on-prem as before', async () => {
    await w.reset();
    const directoryBefore = await directoryView(w, SALES_KEYS);
    const tenantBefore = tenantView(w);
    const before = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    const converted = await w.engine.migrate('sales@contoso.com', { strategy: 'convert' });
    expect(converted.status).toBe('completed_with_warnings'); // members-of.ts

    // Restore interrupted while the on-prem group is still "Sales!" and mail-disabled: the cloud object must still be
    // cloud-managed then (handed back last), so no sync can act on the half-restored group.
    const ad = directoryFaults(w.deps.ad);
    ad.arm('renameObject', insufficientRights);
    const interrupted = await new MigrationEngine({ ...w.deps, ad: ad.target }).restore(
      converted.migrationId,
    );
    expect(interrupted).toMatchObject({ status: 'interrupted', step: 'restore-group' });
    expect(await w.cloud.graph.getOnPremisesSyncBehavior(before.externalDirectoryObjectId)).toEqual({
      isCloudManaged: true,
    });

    // The preview leaves out what the interrupted restore already did, and hands the cloud object back last.
    const preview = await w.engine.restorePreview(converted.migrationId);
    const steps = preview.changes.map((c) => c.step);
    expect(steps).not.toContain('restore-remove-hybrid');
    expect(steps).not.toContain('restore-remove-cloud'); // a converted group's cloud object is the original: it stays
    expect(preview.changes).toContainEqual(
      expect.objectContaining({
        step: 'restore-hand-back',
        attribute: 'isCloudManaged',
        before: 'true',
        after: 'false',
      }),
    );
    expect(steps.indexOf('restore-hand-back')).toBeGreaterThan(steps.lastIndexOf('restore-group'));

    expect(await w.engine.restore(converted.migrationId)).toMatchObject({ status: 'restored' });
    const after = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    expect(after.guid).toBe(before.guid);
    expect(after.isDirSynced).toBe(true);
    expect(await directoryView(w, SALES_KEYS)).toEqual(directoryBefore);
    expect(viewDiff(tenantBefore, tenantView(w))).toEqual([]);
  }, 180_000);
});
