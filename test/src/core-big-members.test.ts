// Groups beyond one replace call (issues 12 and 17): the temporary DL gets one Update-DistributionGroupMember of 5,000
// members, then the rest in additions, several at a time; its progress is journaled, so a run killed in the middle of
// the additions resumes after the last reported one; and the 15-minute REST cut-off (scaled down) neither stops a
// 12,000-member group nor, when it cuts off the replace itself, loses or repeats a member.
import { describe, expect, it } from 'vitest';
import { runChildKilledWhen } from './child.js';
import { useWorld } from './world.js';

const SIZES = [7_000, 12_000];
const w = useWorld('big-members', { bigGroups: SIZES });

/** The recipients of the tenant, as the simulator holds them. */
function recipients() {
  return Object.values(w.sim.tenant(w.tenantId).recipients);
}

/** Members (Guids) of the recipient holding this primary address. */
function membersOf(address: string): string[] {
  const group = recipients().find((r) => r.PrimarySmtpAddress.toLowerCase() === address);
  if (group === undefined) throw new Error(`no recipient ${address}`);
  return group.Members;
}

/** Members of the temporary DL being staged (the only cloud-only group with members), 0 before it exists. */
function stagedMembers(): number {
  return Math.max(
    0,
    ...recipients()
      .filter((r) => !r.IsDirSynced && r.Members.length > 0)
      .map((r) => r.Members.length),
  );
}

async function openMigration(address: string) {
  const [migration] = await w.state.listMigrations({
    group: address,
    status: ['running', 'parked', 'planned'],
  });
  if (migration === undefined) throw new Error(`no open migration of ${address}`);
  return migration;
}

/**
 * Migrates `address` with the REST cut-off scaled down to 0.9 s and `memberUpdateMs` of server time per member, counting
 * calls from a clean slate; expects a clean completion and puts the tenant's timing back whatever happens.
 */
async function migrateUnderCutOff(address: string, memberUpdateMs: number): Promise<void> {
  w.sim.setBehaviour(w.tenantId, { memberUpdateMs, restTimeoutSeconds: 0.9 });
  w.sim.resetCalls(w.tenantId);
  try {
    const outcome = await w.engine.migrate(address, { nonSyncOu: w.objects['ous.nonSync']!.dn });
    expect(outcome.status).toBe('completed');
    expect(outcome.report.findings).toEqual([]);
  } finally {
    w.sim.setBehaviour(w.tenantId, { memberUpdateMs: 0, restTimeoutSeconds: 900 });
  }
}

describe('membership beyond one replace', () => {
  it('a 7,000-member group killed in the middle of its additions resumes after the last reported addition', async () => {
    await w.reset();
    const address = 'big7000@contoso.com';
    const before = new Set(membersOf(address));
    expect(before.size).toBe(7_000);

    // One replace of 5,000, then 2,000 additions reported every 1,000: past 6,100 the first report is durable
    // (the next additions start only after it), and the kill lands before the last addition.
    await runChildKilledWhen(w, address, () => stagedMembers() >= 6_100);
    const killedAt = stagedMembers();
    expect(killedAt).toBeGreaterThanOrEqual(6_100);
    expect(killedAt).toBeLessThan(7_000);
    const migration = await openMigration(address);
    expect(migration.currentStep).toBe('stage');

    w.sim.resetCalls(w.tenantId);
    const outcome = await w.engine.resume(migration.id);
    expect(outcome.status).toBe('completed');
    expect(outcome.report.findings).toEqual([]);
    const calls = w.sim.calls(w.tenantId).cmdlets;
    // Resumed at 1,000 of 2,000 additions: no second replace, the first 1,000 not sent again.
    expect(calls['Update-DistributionGroupMember']).toBeUndefined();
    expect(calls['Add-DistributionGroupMember']).toBe(1_000);
    expect(new Set(membersOf(address))).toEqual(before);
  }, 600_000);

  it('a 12,000-member group migrates under the REST cut-off (scaled down 1,000×): one replace of 5,000, 7,000 additions', async () => {
    await w.reset();
    const address = 'big12000@contoso.com';
    const before = new Set(membersOf(address));
    // 15 minutes → 0.9 s and 0.1 ms per member: 10,000 members in one call would be cut off, 5,000 are not.
    await migrateUnderCutOff(address, 0.1);
    const calls = w.sim.calls(w.tenantId).cmdlets;
    expect(calls['Update-DistributionGroupMember']).toBe(1);
    expect(calls['Add-DistributionGroupMember']).toBe(7_000);
    expect(new Set(membersOf(address))).toEqual(before);
  }, 600_000);

  it('a replace cut off half-way is completed from the re-read membership, then the additions follow', async () => {
    await w.reset();
    const address = 'big12000@contoso.com';
    const before = new Set(membersOf(address));
    // 0.3 ms per member: the 5,000-member replace is cut off at 0.9 s, after about 3,000 members.
    await migrateUnderCutOff(address, 0.3);
    const calls = w.sim.calls(w.tenantId).cmdlets;
    // Never re-sent: the replace is completed by additions of what it did not get to, then the other 7,000.
    expect(calls['Update-DistributionGroupMember']).toBe(1);
    expect(calls['Add-DistributionGroupMember']).toBeGreaterThan(7_000);
    expect(calls['Add-DistributionGroupMember']).toBeLessThan(12_000);
    expect(new Set(membersOf(address))).toEqual(before);
  }, 600_000);
});
