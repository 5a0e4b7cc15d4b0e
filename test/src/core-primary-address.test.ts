// `mail` not among proxyAddresses (issue 14): the synced copy in Exchange Online holds only the proxies, so migrating
// by `mail` used to stop at "not found, wait for the sync", and a migration by another address silently made `mail`
// the primary. The group is now found by any of its addresses, keeps the primary Exchange Online shows, carries `mail`
// as a secondary address, and the choice is a finding.
import { describe, expect, it } from 'vitest';
import { withoutMembersOf } from './members-of.js';
import { useWorld, sharedLab } from './world.js';

const w = useWorld(sharedLab());
const MAIL = 'sales.team@contoso.com';

describe('mail not among proxyAddresses', () => {
  it('migrates by mail: found by its other addresses, keeps the primary Exchange showed, mail carried', async () => {
    await w.reset();
    await w.ad.modifyAttributes(w.objects['groups.sales']!.dn, [
      { operation: 'replace', attribute: 'mail', values: [MAIL] },
      // No cloud id written back on-premises (Entra Connect writes it back only with group writeback): capture finds
      // the synced copy by address.
      { operation: 'delete', attribute: 'msDS-ExternalDirectoryObjectId', values: [] },
    ]);
    expect((await w.sim.runSync(w.tenantId)).status).toBe('success');
    const synced = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    expect(synced.isDirSynced).toBe(true);
    expect(synced.emailAddresses.map((a) => a.toLowerCase())).not.toContain(`smtp:${MAIL}`);

    const plan = await w.engine.plan(MAIL, { nonSyncOu: w.objects['ous.nonSync']!.dn });
    expect(plan.status).toBe('planned');
    expect(plan.findings).toContainEqual(
      expect.objectContaining({
        code: 'PRIMARY_ADDRESS_KEPT',
        severity: 'info',
        subject: MAIL,
        attribute: 'mail',
        message: expect.stringContaining('keeps sales@contoso.com'),
      }),
    );

    const outcome = await w.engine.resume(plan.migrationId);
    expect(outcome.status).toBe('completed_with_warnings'); // "members of Sales" restrictions (members-of.ts)
    expect(withoutMembersOf(outcome.report.findings).map((f) => f.code)).toEqual(['PRIMARY_ADDRESS_KEPT']);
    expect(outcome.report.verification).toMatchObject({ differences: 0 });
    const dl = (await w.cloud.exchange.getDistributionGroup(MAIL))!;
    expect(dl.isDirSynced).toBe(false);
    expect(dl.primarySmtpAddress).toBe('sales@contoso.com');
    expect(dl.emailAddresses).toContain(`smtp:${MAIL}`);
    for (const address of synced.emailAddresses)
      expect(dl.emailAddresses.map((a) => a.toLowerCase())).toContain(address.toLowerCase());
  }, 300_000);
});
