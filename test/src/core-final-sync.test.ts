// The final sync (issue 14): after rewire-onprem pointed the on-prem dependants of groups.sales at the routing contact,
// one sync carries that into their synced copies in Exchange Online — groups.allStaff (a synced parent of Sales),
// groups.board (accepts from Sales, and from its members), groups.partners (rejects Sales) and users.mallory (accepts
// from the members of Sales) — and verify checks those copies. With the final sync off, verify says it did not read
// them, and an on-demand verify reports each copy the scheduled sync has not updated yet until it has.
import type { MigrationEngine } from '@dlmigrate/core';
import { describe, expect, it } from 'vitest';
import { sharedLab, useWorld } from './world.js';

const w = useWorld(sharedLab());

const CONTACT = 'Sales-MigratedByScript';
const SYNCED_COPIES = {
  allStaff: 'groups.allStaff',
  board: 'groups.board',
  partners: 'groups.partners',
  mallory: 'users.mallory',
} as const;

/** What the synced copies of the dependants of Sales hold now, in Exchange Online. */
async function syncedCopies() {
  const { exchange } = w.cloud;
  const allStaff = await exchange.getDistributionGroupMembers('allstaff@contoso.com');
  const board = (await exchange.getDistributionGroup('board@contoso.com'))!;
  const partners = (await exchange.getDistributionGroup('partners@contoso.com'))!;
  const mallory = (await exchange.getMailbox('mallory@contoso.com'))!;
  return {
    allStaffMembers: allStaff.map((m) => m.name),
    boardAccepts: board.acceptMessagesOnlyFromSendersOrMembers,
    boardBypass: board.bypassModerationFromSendersOrMembers,
    partnersRejects: partners.rejectMessagesFromSendersOrMembers,
    malloryAccepts: (mallory.settings['acceptMessagesOnlyFromSendersOrMembers'] ?? []) as string[],
    all: [board, partners, mallory].every((r) => r.isDirSynced),
  };
}

const verifyDifferences = async (engine: MigrationEngine, id: string) =>
  (await engine.report(id))!.findings
    .filter((f) => f.code === 'VERIFY_DIFFERENCE')
    .map((f) => `${f.subject} ${f.attribute}`)
    .sort();

describe('final sync', () => {
  it('plan lists the synced copies verify will read after the final sync; none with the final sync off', async () => {
    await w.reset();
    const nonSyncOu = w.objects['ous.nonSync']!.dn;
    const dn = (key: string) => w.objects[key]!.dn;
    const afterSync = (plan: Awaited<ReturnType<MigrationEngine['plan']>>) =>
      plan.verifies
        .filter((c) => c.after === 'final-sync')
        .map((c) => `${c.side} ${c.object} ${c.attribute} ${c.values}`)
        .sort();
    const plan = await w.engine.plan('sales@contoso.com', { nonSyncOu });
    expect(afterSync(plan)).toEqual(
      [
        `cloud ${dn(SYNCED_COPIES.allStaff)} Members 1`,
        `cloud ${dn(SYNCED_COPIES.board)} AcceptMessagesOnlyFromSendersOrMembers 1`,
        `cloud ${dn(SYNCED_COPIES.board)} BypassModerationFromSendersOrMembers 1`,
        `cloud ${dn(SYNCED_COPIES.partners)} RejectMessagesFromSendersOrMembers 1`,
        `cloud ${dn(SYNCED_COPIES.mallory)} AcceptMessagesOnlyFromSendersOrMembers 1`,
      ].sort(),
    );
    const off = await w.engine.plan('sales@contoso.com', { nonSyncOu, finalSync: false });
    expect(afterSync(off)).toEqual([]);
    // The checks made as soon as the migration's own writes are done are the same either way.
    const now = (p: typeof plan) => p.verifies.filter((c) => c.after === undefined);
    expect(now(off)).toEqual(now(plan));
  }, 300_000);

  it('after the on-prem rewiring one sync updates the synced parent and restrictions, and verify checks them', async () => {
    await w.reset();
    const cycles = Number(w.sim.syncStatus(w.tenantId)?.['cycles'] ?? 0);
    const outcome = await w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
    expect(outcome.status).toBe('completed_with_warnings'); // members-of.ts
    expect(outcome.report.verification).toMatchObject({ differences: 0 });
    expect(await verifyDifferences(w.engine, outcome.migrationId)).toEqual([]);
    // The deletion's sync and the final one.
    expect(Number(w.sim.syncStatus(w.tenantId)?.['cycles'] ?? 0) - cycles).toBe(2);
    const journal = await w.state.listJournal(outcome.migrationId);
    const step = journal.find((e) => e.step === 'final-sync' && e.event === 'completed');
    expect(step?.data).toMatchObject({ result: { dependants: 4, sync: { by: 'migration', settled: true } } });

    // In the tenant: each synced copy names the routing contact, which stands for the new cloud DL.
    const copies = await syncedCopies();
    expect(copies.all).toBe(true);
    expect(copies.allStaffMembers).toContain(CONTACT);
    expect(copies.boardAccepts).toContain(CONTACT);
    expect(copies.boardBypass).toContain(CONTACT);
    expect(copies.partnersRejects).toContain(CONTACT);
    expect(copies.malloryAccepts).toContain(CONTACT);
    const contact = (await w.cloud.exchange.getMailContact('sales-MigratedByScript@contoso.com'))!;
    const sales = (await w.cloud.exchange.getDistributionGroup('sales@contoso.com'))!;
    expect(sales.isDirSynced).toBe(false);
    expect(sales.emailAddresses.map((a) => a.toLowerCase())).toContain(
      String(contact.settings['externalEmailAddress']).toLowerCase(),
    );
  }, 300_000);

  it("the run's verify compares the copies final-sync located (kept once), read live: a copy changed after final-sync is a difference", async () => {
    await w.reset();
    // Stopped between final-sync and verify (the signal stops the run before the next step starts).
    const stop = new AbortController();
    const first = await w.engine.migrate(
      'sales@contoso.com',
      { nonSyncOu: w.objects['ous.nonSync']!.dn },
      {
        signal: stop.signal,
        onEvent: (e) => {
          if (e.step === 'final-sync' && e.event === 'completed') stop.abort('between final-sync and verify');
        },
      },
    );
    expect(first.stopped).toBeDefined();
    // final-sync located the five synced values once and kept them; verify of the run compares those (issue 17).
    const kept = await w.state.getBackup(first.migrationId, 'synced-dependants');
    expect((kept?.data as { attribute: string }[]).map((d) => d.attribute).sort()).toEqual(
      [
        'AcceptMessagesOnlyFromSendersOrMembers',
        'AcceptMessagesOnlyFromSendersOrMembers',
        'BypassModerationFromSendersOrMembers',
        'Members',
        'RejectMessagesFromSendersOrMembers',
      ].sort(),
    );
    // The routing contact taken out of the parent on-premises, and a sync carries that into the synced parent.
    const allStaff = w.objects[SYNCED_COPIES.allStaff]!.dn;
    const members = (await w.ad.connection.read(allStaff, { attributes: ['member'] }))!.strings('member');
    const contact = members.filter((m) => m.includes('MigratedByScript'));
    expect(contact).toHaveLength(1);
    await w.ad.connection.modify(allStaff, [{ operation: 'delete', attribute: 'member', values: contact }]);
    expect((await w.sim.runSync(w.tenantId)).status).toBe('success');
    expect((await syncedCopies()).allStaffMembers).not.toContain(CONTACT);

    // Both sides of the parent: on-premises it names the contact no more, nor does its synced copy (read live).
    const outcome = await w.engine.resume(first.migrationId);
    expect(outcome.report.verification).toMatchObject({ differences: 2 });
    expect(await verifyDifferences(w.engine, outcome.migrationId)).toEqual(
      [`${allStaff} Members`, `${allStaff} member`].sort(),
    );
  }, 300_000);

  it('off: verify says the synced copies were not re-read; on demand it reports each one until a sync updated it', async () => {
    await w.reset();
    const outcome = await w.engine.migrate('sales@contoso.com', {
      nonSyncOu: w.objects['ous.nonSync']!.dn,
      finalSync: false,
    });
    expect(outcome.report.verification).toMatchObject({ differences: 0 });
    const off = outcome.report.findings.filter((f) => f.code === 'FINAL_SYNC_OFF');
    expect(off).toEqual([
      expect.objectContaining({ severity: 'info', subject: 'sales@contoso.com', step: 'verify' }),
    ]);
    expect(off[0]!.message).toContain('finalSync is off');
    expect(off[0]!.message).toContain(w.objects[SYNCED_COPIES.allStaff]!.dn);
    const copies = await syncedCopies();
    expect(copies.allStaffMembers).not.toContain(CONTACT);
    expect(copies.boardAccepts).not.toContain(CONTACT);

    // Later, on demand, before any sync: each synced copy that does not name the contact yet is a difference.
    const before = await w.engine.verify(outcome.migrationId);
    expect(before.differences).toBe(5);
    const dn = (key: keyof typeof SYNCED_COPIES) => w.objects[SYNCED_COPIES[key]]!.dn;
    expect(await verifyDifferences(w.engine, outcome.migrationId)).toEqual(
      [
        `${dn('allStaff')} Members`,
        `${dn('board')} AcceptMessagesOnlyFromSendersOrMembers`,
        `${dn('board')} BypassModerationFromSendersOrMembers`,
        `${dn('partners')} RejectMessagesFromSendersOrMembers`,
        `${dn('mallory')} AcceptMessagesOnlyFromSendersOrMembers`,
      ].sort(),
    );
    // The scheduled cycle comes: verify finds nothing left, and the note about the skipped sync is gone too.
    expect((await w.sim.runSync(w.tenantId)).status).toBe('success');
    const after = await w.engine.verify(outcome.migrationId);
    expect(after.differences).toBe(0);
    const report = (await w.engine.report(outcome.migrationId))!;
    expect(
      report.findings.filter((f) => f.code === 'FINAL_SYNC_OFF' || f.code === 'VERIFY_DIFFERENCE'),
    ).toEqual([]);
  }, 300_000);
});
