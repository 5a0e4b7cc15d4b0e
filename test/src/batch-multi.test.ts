// Several runner processes on one PostgreSQL store (issue 8): 200 groups created in the `batch` lab for this test,
// one batch, two runner processes. Every group migrates exactly once, both runners do work, and the level's sync is
// triggered exactly once (by the runner the store elected); the other waits for the phase, then finishes its groups.
import { childDn } from '@dlmigrate/ad';
import { planBatchRun, type BatchEvent } from '@dlmigrate/core';
import { openStateStore, type StateStore } from '@dlmigrate/state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailGroups, freshPostgres, startRunner, type RunnerProcess } from './batch-support.js';
import { openWorld, type World } from './world.js';

const GROUPS = 200;
let w: World;
let pg: { url: string; drop: () => Promise<void> };
let store: StateStore;
const runners: RunnerProcess[] = [];

beforeAll(async () => {
  w = await openWorld('batch');
  pg = await freshPostgres();
  store = await openStateStore(pg.url);
}, 300_000);

afterAll(async () => {
  for (const r of runners) if (r.process.exitCode === null && r.process.signalCode === null) r.process.kill('SIGKILL');
  await store?.close();
  await pg?.drop();
  await w?.close();
});

describe('two runner processes, one PostgreSQL store', () => {
  it(`migrate a batch of ${GROUPS} groups together with one sync`, async () => {
    await w.reset();
    const ou = childDn('OU', 'Batch200', w.objects['ous.contoso']!.dn);
    await w.ad.connection.add(ou, { objectClass: ['top', 'organizationalUnit'] });
    const alice = w.objects['users.alice']!.dn;
    const names = Array.from({ length: GROUPS }, (_, i) => `b200-${String(i).padStart(3, '0')}`);
    await createMailGroups(w.ad, ou, names.map((alias) => ({ name: `Batch ${alias}`, alias, members: [alice] })));
    expect((await w.sim.runSync(w.tenantId)).status).toBe('success');

    const planned = await planBatchRun({ ...w.deps, state: store }, {
      groups: names.map((n) => `${n}@contoso.com`),
      options: { nonSyncOu: w.objects['ous.nonSync']!.dn },
    });
    expect(planned.layout.waves).toHaveLength(1);
    const cyclesBefore = Number(w.sim.syncStatus(w.tenantId)?.['cycles'] ?? 0);

        for (const runnerId of ['runner-a', 'runner-b']) {
      runners.push(startRunner({ ...w.childConfig, statePath: pg.url, batchId: planned.batch.id, runnerId, leaseMs: 30_000 }));
    }
    const exits = await Promise.all(runners.map((r) => r.exited));
    expect(exits, runners.map((r) => r.stderr()).join('\n')).toEqual([0, 0]);
    expect(runners.map((r) => r.result())).toEqual(['done completed', 'done completed']);

    const migrations = await store.listMigrations({ batchId: planned.batch.id });
    expect(migrations).toHaveLength(GROUPS);
    expect(migrations.filter((m) => !m.status.startsWith('completed'))).toEqual([]);

    // Every group was parked once and finished once, by one runner or the other — never by both.
    const finishedBy = new Map<string, string[]>();
    runners.forEach((r, i) => {
      for (const e of r.events) {
        if (e.type === 'step' && e.step === 'report' && e.event === 'completed') {
          finishedBy.set(e.migrationId, [...(finishedBy.get(e.migrationId) ?? []), `runner-${i}`]);
        }
      }
    });
    expect(finishedBy.size).toBe(GROUPS);
    expect([...finishedBy.values()].filter((by) => by.length > 1)).toEqual([]);
    const worked = (r: RunnerProcess) => r.events.filter((e: BatchEvent) => e.type === 'group').length;
    expect(worked(runners[0]!)).toBeGreaterThan(0);
    expect(worked(runners[1]!)).toBeGreaterThan(0);
    for (const m of migrations) {
      const journal = await store.listJournal(m.id);
      expect(journal.filter((e) => e.step === 'stage' && e.event === 'completed')).toHaveLength(1);
    }

    // One sync for the level, triggered by exactly one of them.
    const triggers = runners.flatMap((r) => r.events.filter((e) => e.type === 'sync-triggered'));
    expect(triggers).toHaveLength(1);
    expect(Number(w.sim.syncStatus(w.tenantId)?.['cycles'] ?? 0) - cyclesBefore).toBe(1);
    expect((await store.getBatch(planned.batch.id))!.status).toBe('completed');
  }, 1_200_000);
});
