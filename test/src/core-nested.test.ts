// skipNestedGroupCheck (research §4): a parent with a mail-enabled child group migrates while the child stays a
// synced group; the child joins the new parent DL at the end. Without the flag the parent is blocked, naming the child.
import { describe, expect, it } from 'vitest';
import { useWorld } from './world.js';

const w = useWorld('core');

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

  it('migrates the parent with skipNestedGroupCheck and adds the still-synced child at the end', async () => {
    await w.reset();
    const events: string[] = [];
    const outcome = await w.engine.migrate(
      'allstaff@contoso.com',
      { nonSyncOu: w.objects['ous.nonSync']!.dn, skipNestedGroupCheck: true },
      { onEvent: (e) => events.push(`${e.step}:${e.event}`) },
    );
    expect(outcome.report.findings).toEqual([]);
    expect(outcome.status).toBe('completed');
    const parent = (await w.cloud.exchange.getDistributionGroup('allstaff@contoso.com'))!;
    expect(parent.isDirSynced).toBe(false);
    const members = await w.cloud.exchange.getDistributionGroupMembers('allstaff@contoso.com');
    expect(members.map((m) => m.name).sort()).toEqual(['Heidi Hahn', 'Sales']);
    const child = members.find((m) => m.name === 'Sales')!;
    expect(child.isDirSynced).toBe(true); // the child is still mastered on-premises
    expect(events.indexOf('rewire-cloud:completed')).toBeGreaterThan(events.indexOf('take-over:completed'));
  }, 120_000);
});
