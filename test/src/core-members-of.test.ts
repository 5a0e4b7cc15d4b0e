// "Members of" restrictions (issue 14): a migration of groups.sales reports each dependant whose restriction by the
// members of Sales changed meaning (MEMBERS_OF_RESTRICTION_CHANGED, needs-action). Once the administrator has dealt
// with one — the restriction set by hand on-premises (the routing contact taken out of it), or the dependant migrated
// too — the next verify drops its report; the others stand.
import { describe, expect, it } from 'vitest';
import { membersOfReports } from './members-of.js';
import { sharedLab, useWorld } from './world.js';

const w = useWorld(sharedLab());

describe('members-of reports', () => {
  it('are re-assessed by verify: dropped once the dependant is fixed or migrated, kept while the change stands', async () => {
    await w.reset();
    const nonSyncOu = w.objects['ous.nonSync']!.dn;
    const dn = (key: string) => w.objects[key]!.dn;
    const outcome = await w.engine.migrate('sales@contoso.com', { nonSyncOu });
    const all = [
      `${dn('groups.board')} dLMemSubmitPerms`,
      `${dn('groups.board')} msExchBypassModerationFromDLMembersLink`,
      `${dn('groups.partners')} dLMemRejectPerms`,
      `${dn('users.mallory')} dLMemSubmitPerms`,
    ].sort();
    expect(membersOfReports(outcome.report.findings)).toEqual(all);

    // Nothing fixed yet: an on-demand verify keeps every report.
    await w.engine.verify(outcome.migrationId);
    expect(membersOfReports((await w.engine.report(outcome.migrationId))!.findings)).toEqual(all);

    // Mallory's restriction set by hand: the routing contact rewire-onprem added to her accept list taken out.
    const mallory = await w.ad.connection.read(dn('users.mallory'), { attributes: ['authOrig'] });
    const contact = mallory!.strings('authOrig').filter((v) => v.includes('MigratedByScript'));
    expect(contact).toHaveLength(1);
    await w.ad.connection.modify(dn('users.mallory'), [
      { operation: 'delete', attribute: 'authOrig', values: contact },
    ]);
    // Partners migrated too: its on-premises object is disposed of, its cloud group names the new Sales again.
    const partners = await w.engine.migrate('partners@contoso.com', { nonSyncOu });
    expect(['completed', 'completed_with_warnings']).toContain(partners.status);

    const again = await w.engine.verify(outcome.migrationId);
    expect(again.status).toBe('completed_with_warnings');
    const report = (await w.engine.report(outcome.migrationId))!;
    expect(membersOfReports(report.findings)).toEqual(
      [
        `${dn('groups.board')} dLMemSubmitPerms`,
        `${dn('groups.board')} msExchBypassModerationFromDLMembersLink`,
      ].sort(),
    );
  }, 300_000);
});
