// The fault matrix's batch cells (issue 13): a batch of new groups run by runner processes on a PostgreSQL store, with
// a runner killed mid-level, PostgreSQL restarted mid-batch, and a lease expiring under a slow runner. Each cell must
// end as the uninterrupted batch does — every migration completed, each group staged once, the batch completed —
// compared by a full directory + tenant diff. PostgreSQL is a server of this file's own (pg-instance.ts), restarted by
// its PID; the runners are test/src/batch-runner.ts processes, killed, paused and continued by their PIDs.
import { childDn } from '@dlmigrate/ad';
import { planBatchRun } from '@dlmigrate/core/testing';
import type { PlannedBatch } from '@dlmigrate/core';
import { openStateStore, type StateStore } from '@dlmigrate/state';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMailGroups, startRunner, type RunnerProcess } from './batch-support.js';
import { viewsOf } from './fault-cell.js';
import { differences, type Views } from './fault-matrix.js';
import { startPgInstance, type PgInstance } from './pg-instance.js';
import { useWorld } from './world.js';

const w = useWorld('matrix-batch');
const GROUPS = 6;
/** Short leases, so a dead or paused runner's groups are taken over within seconds. */
const LEASE_MS = 4_000;
let server: PgInstance;
const runners: RunnerProcess[] = [];
const cleanup: (() => Promise<void>)[] = [];
let reference: Views;
const results: { name: string; passed: boolean; end: string }[] = [];

/**
 * Enters a cell in the matrix's results before it runs, as not ended: a cell that throws or times out counts as a failed
 * one in the line fault-matrix.setup.ts prints, instead of missing from it (CI once printed "124 cells run, 124
 * passed" above a timed-out cell).
 */
function startCell(name: string): { name: string; passed: boolean; end: string } {
  const cell = { name: `batch: ${name}`, passed: false, end: 'did not end' };
  results.push(cell);
  return cell;
}

interface BatchRun {
  readonly planned: PlannedBatch;
  readonly store: StateStore;
  readonly url: string;
}

/** The batch's groups, new in their own synced OU (Alice their member), planned in a new database of the server. */
async function plannedBatch(): Promise<BatchRun> {
  await w.reset();
  const ou = childDn('OU', 'Matrix Batch', w.objects['ous.contoso']!.dn);
  await w.ad.connection.add(ou, { objectClass: ['top', 'organizationalUnit'] });
  const names = Array.from({ length: GROUPS }, (_, i) => `mx-${i}`);
  await createMailGroups(
    w.ad,
    ou,
    names.map((alias) => ({ name: `Matrix ${alias}`, alias, members: [w.objects['users.alice']!.dn] })),
  );
  expect((await w.sim.runSync(w.tenantId)).status).toBe('success');
  const database = await server.freshDatabase();
  const store = await openStateStore(database.url);
  cleanup.push(async () => {
    await store.close();
    await database.drop();
  });
  const planned = await planBatchRun(
    { ...w.deps, state: store },
    { groups: names.map((n) => `${n}@contoso.com`), options: { nonSyncOu: w.objects['ous.nonSync']!.dn } },
  );
  return { planned, store, url: database.url };
}

function start(run: BatchRun, runnerId: string): RunnerProcess {
  const runner = startRunner({
    ...w.childConfig,
    statePath: run.url,
    batchId: run.planned.batch.id,
    runnerId,
    leaseMs: LEASE_MS,
  });
  runners.push(runner);
  return runner;
}

/** What the store says of the batch once its runners are done: each line a way it differs from a clean run. */
async function storeProblems(run: BatchRun): Promise<string[]> {
  const problems: string[] = [];
  const batch = await run.store.getBatch(run.planned.batch.id);
  if (batch?.status !== 'completed') problems.push(`batch ${batch?.status ?? 'missing'}`);
  const migrations = await run.store.listMigrations({ batchId: run.planned.batch.id });
  if (migrations.length !== GROUPS) problems.push(`${migrations.length} migrations, not ${GROUPS}`);
  for (const m of migrations) {
    if (!m.status.startsWith('completed')) problems.push(`${m.group.address} ${m.status}`);
    const staged = (await run.store.listJournal(m.id)).filter(
      (e) => e.step === 'stage' && e.event === 'completed',
    ).length;
    if (staged !== 1) problems.push(`${m.group.address} staged ${staged} times`);
  }
  return problems;
}

const parkedOne = (r: RunnerProcess) => r.waitFor((e) => e.type === 'group' && e.status === 'parked');

beforeAll(async () => {
  server = await startPgInstance('matrix');
  const run = await plannedBatch();
  const only = start(run, 'reference');
  expect(await only.exited, only.stderr()).toBe(0);
  expect(await storeProblems(run)).toEqual([]);
  reference = await viewsOf(w);
}, 900_000);

afterEach(async () => {
  for (const r of runners.splice(0)) {
    if (r.process.exitCode === null && r.process.signalCode === null) r.process.kill('SIGKILL');
    await r.exited;
  }
  for (const c of cleanup.splice(0)) await c();
});

afterAll(async () => {
  await server?.stop();
  const dir = inject('faultMatrixResults');
  if (dir !== undefined && results.length > 0)
    writeFileSync(join(dir, 'batch.json'), JSON.stringify(results));
  if (results.length > 0)
    process.stdout.write(
      `\n${results.map((r) => `${r.passed ? 'pass' : 'FAIL'}  ${r.name}: ${r.end}`).join('\n')}\n`,
    );
});

/** Ends the cell: the batch as the uninterrupted one left it, in the store and in directory and tenant. */
async function expectAsUninterrupted(cell: { passed: boolean; end: string }, run: BatchRun): Promise<void> {
  const problems = await storeProblems(run);
  const diff = differences(reference, await viewsOf(w));
  cell.passed = problems.length === 0 && diff.length === 0;
  cell.end = cell.passed ? 'as-uninterrupted' : 'wrong';
  expect(problems).toEqual([]);
  expect(diff).toEqual([]);
}

describe('fault matrix: batch runners on PostgreSQL', () => {
  it('a runner killed with SIGKILL mid-level: a runner started again finishes the batch', async () => {
    const cell = startCell('runner killed mid-level');
    const run = await plannedBatch();
    const victim = start(run, 'victim');
    await parkedOne(victim);
    victim.process.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    const again = start(run, 'again');
    expect(await again.exited, again.stderr()).toBe(0);
    await expectAsUninterrupted(cell, run);
  }, 900_000);

  it('PostgreSQL restarted mid-batch: the batch ends as uninterrupted (a runner that gave up is started again)', async () => {
    const cell = startCell('PostgreSQL restarted mid-batch');
    const run = await plannedBatch();
    const first = start(run, 'first');
    await parkedOne(first);
    await server.restart();
    // The runner may ride out the restart or stop on it; an operator starts `batch run` again if it stopped.
    if ((await first.exited) !== 0) {
      const again = start(run, 'again');
      expect(await again.exited, again.stderr()).toBe(0);
    }
    await expectAsUninterrupted(cell, run);
  }, 900_000);

  it('a lease expiring under a slow runner: another runner takes its groups, the slow one touches them no more', async () => {
    const cell = startCell('lease expiring under a slow runner');
    const run = await plannedBatch();
    const slow = start(run, 'slow');
    await parkedOne(slow);
    // Paused (SIGSTOP) past its lease: no heartbeat, no step — a runner on a machine that hangs.
    slow.process.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, LEASE_MS * 2));
    const other = start(run, 'other');
    // Once the other runner works on the slow one's groups, the slow one wakes up to leases it no longer holds.
    await other.waitFor(
      (e) =>
        e.type === 'step' && slow.events.some((s) => s.type === 'step' && s.migrationId === e.migrationId),
    );
    slow.process.kill('SIGCONT');
    expect(await other.exited, other.stderr()).toBe(0);
    await slow.exited;
    await expectAsUninterrupted(cell, run);
  }, 900_000);
});
