// The project dashboard's model from a PostgreSQL state store filled by a real batch run (issue 19): groups of the
// `dashboard` lab migrated through the engine with the store in PostgreSQL, then loadProjectRecords + buildProject
// read it back — totals, the level's one sync, an outage window per migrated group, the blocked group's finding with
// the catalogue's advice. (The CLI's dashboard test covers a SQLite store the same way, in a browser.)
import { buildProject, loadProjectRecords, runBatch, type ProjectModel } from '@dlmigrate/core';
import { actionFor, planBatchRun } from '@dlmigrate/core/testing';
import { openStateStore, type StateStore } from '@dlmigrate/state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { throwawayPostgres } from '@dlmigrate/state/testing';
import { openWorld, type World } from './world.js';

let w: World;
let pg: { url: string; drop: () => Promise<void> };
let store: StateStore;

beforeAll(async () => {
  w = await openWorld('dashboard');
  pg = await throwawayPostgres('dlmigrate_batch');
  store = await openStateStore(pg.url);
}, 600_000);

afterAll(async () => {
  await store?.close();
  await pg?.drop();
  await w?.close();
});

describe('the project model of a PostgreSQL store', () => {
  it('aggregates a real batch: totals, the level and its sync, outage windows, findings by code', async () => {
    expect(store.engine).toBe('postgres');
    const deps = { ...w.deps, state: store, runnerId: 'dashboard' };
    const planned = await planBatchRun(deps, {
      // blocked@ contains a mail-enabled group outside the list: it ends blocked (NESTED_GROUP_EXCEPTION).
      groups: ['research@contoso.com', 'obrien-team@contoso.com', 'blocked@contoso.com'],
      options: { nonSyncOu: w.objects['ous.nonSync']!.dn },
    });
    const outcome = await runBatch(deps, planned.batch.id);
    const statusOf = (address: string) => outcome.groups.find((g) => g.address.toLowerCase() === address)!;
    expect(statusOf('blocked@contoso.com').status).toBe('blocked');

    const model: ProjectModel = buildProject(await loadProjectRecords(store));
    expect(model.totals.migrations).toBe(3);
    expect(model.totals.batches).toBe(1);
    const succeeded = model.totals.byStatus.completed + model.totals.byStatus.completed_with_warnings;
    expect(succeeded).toBe(outcome.groups.filter((g) => g.status.startsWith('completed')).length);
    expect(succeeded).toBe(2);
    expect(model.totals.byStatus.blocked).toBe(1);

    const [batch] = model.batches;
    expect(batch).toMatchObject({ id: planned.batch.id, groups: 3, status: 'completed_with_failures' });
    const [level] = batch!.levels;
    expect(level).toMatchObject({ level: 0, phase: 'done', groups: 3, deleted: 2, notDeleted: 0 });
    expect(Date.parse(level!.syncTriggeredAt!)).toBeGreaterThanOrEqual(Date.parse(level!.start!));
    expect(Date.parse(level!.syncTriggeredAt!)).toBeLessThanOrEqual(Date.parse(level!.end!));
    expect(model.timeline).toEqual([
      expect.objectContaining({
        label: `${planned.batch.id} · level 0`,
        syncs: [{ at: level!.syncTriggeredAt, source: 'recorded' }],
      }),
    ]);

    // Each migrated group was without its addresses from the deletion the level's watch saw to take-over converged,
    // both recorded by the steps (engine/outage.ts).
    const migrated = model.migrations.filter((m) => m.status.startsWith('completed'));
    for (const m of migrated) {
      expect(m.outage, m.address).toMatchObject({ source: 'recorded', ongoing: false });
      expect(m.outage!.durationMs!, m.address).toBeGreaterThanOrEqual(0);
      expect(Date.parse(m.outage!.start)).toBeGreaterThanOrEqual(Date.parse(m.startedAt));
      expect(Date.parse(m.outage!.end!)).toBeLessThanOrEqual(Date.parse(m.finishedAt!));
      expect(m.hasReport).toBe(true);
    }
    expect(model.totals.outages).toBe(2);
    expect(model.migrations.find((m) => m.address === 'blocked@contoso.com')!.outage).toBeNull();

    const nested = model.findings.find((f) => f.code === 'NESTED_GROUP_EXCEPTION');
    expect(nested).toMatchObject({
      severity: 'blocking',
      migrations: 1,
      action: actionFor('NESTED_GROUP_EXCEPTION'),
    });
    expect(model.findings[0]!.severity).toBe('blocking');
  }, 600_000);
});
