// A migration process killed with SIGKILL right after any step (or in the middle of one) and then resumed ends in
// exactly the state an uninterrupted migration reaches.
import { RECREATE_STEPS } from '@dlmigrate/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChildUntilKilled } from './child.js';
import { membersOfReports, withoutMembersOf } from './members-of.js';
import { directoryView, SALES_KEYS, tenantView, viewDiff, withoutNewIds } from './views.js';
import { useWorld, sharedLab } from './world.js';

const w = useWorld(sharedLab());
let reference: { directory: Record<string, unknown>; tenant: Record<string, unknown> };

beforeAll(async () => {
  await w.reset();
  const outcome = await w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
  expect(outcome.status).toBe('completed_with_warnings'); // "members of Sales" restrictions (members-of.ts)
  // The final sync brings the routing contact into the tenant: its ids are new in every run.
  reference = { directory: await directoryView(w, SALES_KEYS), tenant: withoutNewIds(tenantView(w)) };
}, 300_000);

const kills = [
  ...RECREATE_STEPS.filter((s) => s !== 'report' && s !== 'hybrid-mail-flow').map((step) => ({
    step,
    on: 'completed' as const,
  })),
  { step: 'take-over', on: 'started' as const },
  { step: 'dispose', on: 'started' as const },
];

describe('SIGKILL and resume', () => {
  it.each(kills)(
    'killed when $step $on, resumed: same end state as an uninterrupted run',
    async ({ step, on }) => {
      await w.reset();
      await runChildUntilKilled(w, { address: 'sales@contoso.com', killAfter: step, killOn: on });
      const [migration] = await w.state.listMigrations({
        group: 'sales@contoso.com',
        status: ['running', 'parked', 'planned'],
      });
      expect(migration?.currentStep).toBe(step);

      const outcome = await w.engine.resume(migration!.id);
      expect(withoutMembersOf(outcome.report.findings)).toEqual([]);
      expect(membersOfReports(outcome.report.findings)).toHaveLength(4); // reported once, not again on resume
      expect(outcome.status).toBe('completed_with_warnings');
      expect(await directoryView(w, SALES_KEYS)).toEqual(reference.directory);
      expect(viewDiff(reference.tenant, withoutNewIds(tenantView(w)))).toEqual([]);
    },
    180_000,
  );

  it('rolls forward: a failure after the point of no return stops the run, resume finishes it without stale findings', async () => {
    await w.reset();
    // Something already holds the routing contact's name, so creating the contact fails after dispose.
    const groupsOu = w.objects['ous.groups']!.dn;
    await w.ad.createRoutingContact({
      parentDn: groupsOu,
      cn: 'Sales-MigratedByScript',
      displayName: 'Squatter',
      mail: 'squatter@contoso.com',
      mailNickname: 'squatter',
      targetAddress: 'SMTP:squatter@contoso.mail.onmicrosoft.com',
      cloudId: '00000000-0000-0000-0000-000000000000',
    });
    const interrupted = await w.engine.migrate('sales@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
    });
    expect(interrupted).toMatchObject({ status: 'running', step: 'routing-contact' });
    expect(interrupted.report.findings.map((f) => f.code)).toContain('STEP_FAILED');
    expect((await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))?.isDirSynced).toBe(false); // not undone

    await w.ad.deleteObject(`CN=Sales-MigratedByScript,${groupsOu}`);
    await w.sim.runSync(w.tenantId); // the squatter had been synced to the cloud meanwhile: let the sync remove it
    const resumed = await w.engine.resume(interrupted.migrationId);
    expect(resumed.status).toBe('completed_with_warnings');
    expect(withoutMembersOf(resumed.report.findings)).toEqual([]);
    expect(membersOfReports(resumed.report.findings)).toHaveLength(4);
    expect(await directoryView(w, SALES_KEYS)).toEqual(reference.directory);
    expect(viewDiff(reference.tenant, withoutNewIds(tenantView(w)))).toEqual([]);
  }, 180_000);
});
