// Several runner processes on one PostgreSQL store (issue 8), with groups created in the `batch` lab for each test:
// 200 groups shared by two runner processes — every group migrates exactly once, both runners do work, and the level's
// sync is triggered exactly once (by the runner the store elected); each runner takes over the groups it parked, not
// the sync's coordinator alone (issue 17); then a runner killed with SIGKILL mid-batch, whose groups the survivor takes
// over once their leases expire.
import { childDn } from '@dlmigrate/ad';
import { type BatchEvent } from '@dlmigrate/core';
import { planBatchRun } from '@dlmigrate/core/testing';
import type { PlannedBatch } from '@dlmigrate/core';
import { openStateStore, startHeartbeat, type StateStore } from '@dlmigrate/state';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { throwawayPostgres } from '@dlmigrate/state/testing';
import { createMailGroups, startRunner, type RunnerProcess } from './batch-support.js';
import { openWorld, type World } from './world.js';

let w: World;
let pg: { url: string; drop: () => Promise<void> };
let store: StateStore;
const runners: RunnerProcess[] = [];

beforeAll(async () => {
  // A lab of its own: e2e files run two at a time (test/vitest.config.ts), and batch.test.ts resets the "batch" lab.
  w = await openWorld('batch-multi');
  pg = await throwawayPostgres('dlmigrate_batch');
  store = await openStateStore(pg.url);
}, 300_000);

afterEach(async () => {
  for (const r of runners.splice(0)) {
    if (r.process.exitCode === null && r.process.signalCode === null) r.process.kill('SIGKILL');
    await r.exited;
  }
});

afterAll(async () => {
  await store?.close();
  await pg?.drop();
  await w?.close();
});

const syncCycles = () => Number(w.sim.syncStatus(w.tenantId)?.['cycles'] ?? 0);

/** `count` new synced groups in their own OU (Alice their member), planned as one batch in the PostgreSQL store. */
async function plannedGroups(count: number, prefix: string): Promise<PlannedBatch> {
  await w.reset();
  const ou = childDn('OU', `Batch ${prefix}`, w.objects['ous.contoso']!.dn);
  await w.ad.connection.add(ou, { objectClass: ['top', 'organizationalUnit'] });
  const alice = w.objects['users.alice']!.dn;
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
  await createMailGroups(
    w.ad,
    ou,
    names.map((alias) => ({ name: `Batch ${alias}`, alias, members: [alice] })),
  );
  expect((await w.sim.runSync(w.tenantId)).status).toBe('success');
  const planned = await planBatchRun(
    { ...w.deps, state: store },
    {
      groups: names.map((n) => `${n}@contoso.com`),
      options: { nonSyncOu: w.objects['ous.nonSync']!.dn },
    },
  );
  expect(planned.layout.waves).toHaveLength(1);
  return planned;
}

function start(
  planned: PlannedBatch,
  runnerId: string,
  leaseMs: number,
  maxCallsPerSecond?: number,
): RunnerProcess {
  const runner = startRunner({
    ...w.childConfig,
    ...(maxCallsPerSecond !== undefined ? { maxCallsPerSecond } : {}),
    statePath: pg.url,
    batchId: planned.batch.id,
    runnerId,
    leaseMs,
  });
  runners.push(runner);
  return runner;
}

/** Every migration of the batch completed, each staged exactly once. */
async function expectAllMigratedOnce(planned: PlannedBatch, count: number): Promise<void> {
  const migrations = await store.listMigrations({ batchId: planned.batch.id });
  expect(migrations).toHaveLength(count);
  expect(
    migrations.filter((m) => !m.status.startsWith('completed')).map((m) => [m.group.address, m.status]),
  ).toEqual([]);
  for (const m of migrations) {
    const journal = await store.listJournal(m.id);
    expect(journal.filter((e) => e.step === 'stage' && e.event === 'completed')).toHaveLength(1);
  }
  expect((await store.getBatch(planned.batch.id))!.status).toBe('completed');
}

/** The groups a runner reported ending other than completed, with their finding codes (to tell why a batch failed). */
const unfinished = (r: RunnerProcess) =>
  r.events.flatMap((e) =>
    e.type === 'group' && !e.status.startsWith('completed') && e.status !== 'parked'
      ? [{ address: e.address, status: e.status, codes: e.codes }]
      : [],
  );

const triggers = (list: readonly RunnerProcess[]) =>
  list.flatMap((r) => r.events.filter((e) => e.type === 'sync-triggered'));

describe('two runner processes, one PostgreSQL store', () => {
  it('migrate a batch of 200 groups together with one sync', async () => {
    const planned = await plannedGroups(200, 'b200');
    const cyclesBefore = syncCycles();
    const pair = [start(planned, 'runner-a', 30_000), start(planned, 'runner-b', 30_000)];
    const exits = await Promise.all(pair.map((r) => r.exited));
    expect(exits, pair.map((r) => r.stderr()).join('\n')).toEqual([0, 0]);
    expect(
      pair.map((r) => r.result()),
      JSON.stringify(pair.flatMap(unfinished)),
    ).toEqual(['done completed', 'done completed']);
    await expectAllMigratedOnce(planned, 200);

    // Every group was finished by one runner or the other — never by both — and both did work.
    const finishedBy = new Map<string, string[]>();
    pair.forEach((r, i) => {
      for (const e of r.events) {
        if (e.type === 'step' && e.step === 'report' && e.event === 'completed') {
          finishedBy.set(e.migrationId, [...(finishedBy.get(e.migrationId) ?? []), `runner-${i}`]);
        }
      }
    });
    expect(finishedBy.size).toBe(200);
    expect([...finishedBy.values()].filter((by) => by.length > 1)).toEqual([]);
    const worked = (r: RunnerProcess) => r.events.filter((e: BatchEvent) => e.type === 'group').length;
    expect(worked(pair[0]!)).toBeGreaterThan(0);
    expect(worked(pair[1]!)).toBeGreaterThan(0);

    // One sync for the level, triggered by exactly one of them.
    expect(triggers(pair)).toHaveLength(1);
    expect(syncCycles() - cyclesBefore).toBe(1);
  }, 1_200_000);

  it('each runner takes over the groups it parked once the level deletion is seen, each group once', async () => {
    const planned = await plannedGroups(12, 'share');
    const cyclesBefore = syncCycles();
    // Which runner prepares which group is decided here, not by which process happens to start first: each half is
    // leased to a runner's id before the runners start (kept alive by the test until the runner runs it), as if each
    // runner had claimed it. What follows — park, sync, take-over — is the runners' own.
    const migrations = await store.listMigrations({ batchId: planned.batch.id });
    const share = new Map(migrations.map((m, i) => [m.id, i % 2 === 0 ? 'runner-a' : 'runner-b']));
    const leases: ReturnType<typeof startHeartbeat>[] = [];
    for (const [id, runnerId] of share) {
      expect(await store.claimMigration(id, runnerId, 30_000)).not.toBeNull();
      leases.push(startHeartbeat(store, { migrationId: id, runnerId, leaseMs: 30_000 }));
    }
    // Both with a ceiling of 200 calls/s: together they keep to it, each at its half (batch/budget-share.ts).
    const pair = [start(planned, 'runner-a', 30_000, 200), start(planned, 'runner-b', 30_000, 200)];
    try {
      const exits = await Promise.all(pair.map((r) => r.exited));
      expect(exits, pair.map((r) => r.stderr()).join('\n')).toEqual([0, 0]);
    } finally {
      for (const lease of leases) await lease.stop();
    }
    expect(
      pair.map((r) => r.result()),
      JSON.stringify(pair.flatMap(unfinished)),
    ).toEqual(['done completed', 'done completed']);
    await expectAllMigratedOnce(planned, 12);

    // Per group, which runner completed a step: park (preparing) and take-over (after the deletion).
    const by = (step: string) => {
      const runnersOf = new Map<string, string[]>();
      pair.forEach((r, i) => {
        for (const e of r.events) {
          if (e.type === 'step' && e.step === step && e.event === 'completed')
            runnersOf.set(e.migrationId, [
              ...(runnersOf.get(e.migrationId) ?? []),
              ['runner-a', 'runner-b'][i]!,
            ]);
        }
      });
      return Object.fromEntries(migrations.map((m) => [m.id, runnersOf.get(m.id) ?? []]));
    };
    const expected = Object.fromEntries([...share].map(([id, runnerId]) => [id, [runnerId]]));
    expect(by('park')).toEqual(expected);
    // Each group taken over once, by the runner that parked it — both runners took over six, whichever coordinated.
    expect(by('take-over')).toEqual(expected);
    expect(by('report')).toEqual(expected);

    // One sync for the level, triggered by one of them; the other saw the deletions through the level's record.
    expect(triggers(pair)).toHaveLength(1);
    expect(syncCycles() - cyclesBefore).toBe(1);
    const seenBy = pair.map((r) => r.events.filter((e) => e.type === 'deletion-seen').length).sort();
    expect(seenBy).toEqual([0, 12]);
    for (const r of pair)
      expect(
        r.events
          .filter((e) => e.type === 'budget-share')
          .map((e) => e.type === 'budget-share' && [e.runners, e.callsPerSecond]),
      ).toContainEqual([2, 100]);
  }, 1_200_000);

  it('a runner killed with SIGKILL loses its groups to the other, which finishes the batch', async () => {
    const planned = await plannedGroups(40, 'kill');
    const cyclesBefore = syncCycles();
    const survivor = start(planned, 'survivor', 5_000);
    const victim = start(planned, 'victim', 5_000);
    // Kill the victim while it holds groups: right after it parked its first one.
    await victim.waitFor((e) => e.type === 'group' && e.status === 'parked');
    victim.process.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');

    expect(await survivor.exited, survivor.stderr()).toBe(0);
    expect(survivor.result(), JSON.stringify(unfinished(survivor))).toBe('done completed');
    await expectAllMigratedOnce(planned, 40);
    // Groups the victim had started were resumed by the survivor.
    const startedByVictim = new Set(victim.events.flatMap((e) => (e.type === 'step' ? [e.migrationId] : [])));
    const resumed = survivor.events.filter(
      (e) =>
        e.type === 'step' &&
        e.step === 'report' &&
        e.event === 'completed' &&
        startedByVictim.has(e.migrationId),
    );
    expect(resumed.length).toBeGreaterThan(0);
    // The victim's work was taken over, not redone: still one sync in all.
    expect(triggers([survivor, victim])).toHaveLength(1);
    expect(syncCycles() - cyclesBefore).toBe(1);
  }, 1_200_000);
});
