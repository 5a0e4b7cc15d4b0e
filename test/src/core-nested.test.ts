// skipNestedGroupCheck (docs/reference-behaviour.md#nested-groups-kept): a parent with a mail-enabled child group migrates while the child stays a
// synced group; the child joins the new parent DL at stage, with the other members (NESTED_GROUP_KEPT says so), so a
// run stopped after the point of no return leaves no member behind. Without the flag the parent is blocked.
import { describe, expect, it } from 'vitest';
import { useWorld, sharedLab } from './world.js';

const w = useWorld(sharedLab());

describe('nested groups', () => {
  it('blocks a parent whose child group is not migrated, naming the child', async () => {
    await w.reset();
    const outcome = await w.engine.migrate('allstaff@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
    });
    expect(outcome.status).toBe('blocked');
    expect(outcome.findings).toEqual([
      expect.objectContaining({
        code: 'NESTED_GROUP_EXCEPTION',
        subject: 'sales@contoso.com',
        attribute: 'member',
      }),
    ]);
  }, 120_000);

  it('migrates the parent with skipNestedGroupCheck, keeping the still-synced child as a member (NESTED_GROUP_KEPT)', async () => {
    await w.reset();
    const outcome = await w.engine.migrate('allstaff@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
      skipNestedGroupCheck: true,
    });
    expect(outcome.report.findings).toEqual([
      expect.objectContaining({
        code: 'NESTED_GROUP_KEPT',
        severity: 'info',
        subject: 'sales@contoso.com',
        attribute: 'member',
      }),
    ]);
    expect(outcome.status).toBe('completed');
    const parent = (await w.cloud.exchange.getDistributionGroup('allstaff@contoso.com'))!;
    expect(parent.isDirSynced).toBe(false);
    const members = await w.cloud.exchange.getDistributionGroupMembers('allstaff@contoso.com');
    expect(members.map((m) => m.name).sort()).toEqual(['Heidi Hahn', 'Sales']);
    const child = members.find((m) => m.name === 'Sales')!;
    expect(child.isDirSynced).toBe(true); // the child is still mastered on-premises
  }, 120_000);

  it('stopped right after the point of no return, the parent already holds the child group', async () => {
    await w.reset();
    const stop = new AbortController();
    const outcome = await w.engine.migrate(
      'allstaff@contoso.com',
      { nonSyncOu: w.objects['ous.nonSync']!.dn, skipNestedGroupCheck: true },
      {
        signal: stop.signal,
        onEvent: (e) => {
          if (e.step === 'dispose' && e.event === 'completed') stop.abort('SIGINT');
        },
      },
    );
    expect(outcome).toMatchObject({ status: 'running', stopped: 'SIGINT' });
    const journal = await w.state.listJournal(outcome.migrationId);
    expect(journal.some((j) => j.step === 'rewire-cloud')).toBe(false);
    // Taken over (the group's own address) and past dispose: nothing undoes it any more, so nothing may be missing.
    const members = await w.cloud.exchange.getDistributionGroupMembers('allstaff@contoso.com');
    expect(members.map((m) => m.name).sort()).toEqual(['Heidi Hahn', 'Sales']);

    const resumed = await w.engine.resume(outcome.migrationId);
    expect(resumed.status).toBe('completed');
    expect(resumed.report.findings.map((f) => f.code)).toEqual(['NESTED_GROUP_KEPT']);
  }, 120_000);
});
