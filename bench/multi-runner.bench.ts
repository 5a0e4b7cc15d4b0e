// Scale out (issue 17): one batch on a PostgreSQL store run by 1, 2 and 4 runner processes (test/src/batch-runner.ts,
// each its own Node process with its own connections, as separate machines would) against one simulated tenant whose
// Exchange budget they share. Per runner count: wall time (with when the first and the last runner process was up, and
// how it splits into preparing — up to the level's sync trigger — and finishing), groups per minute, the CPU seconds
// the runner processes and the simulator (this process) used, the work each runner did (groups it
// parked / groups it finished — each runner takes over the groups it parked once the level's coordinator records
// their deletion), Exchange calls per group and per second, 429s — and the checks that make the figures mean
// something: every group migrated (staged) exactly once and one sync per wave.
// The budget is the tenant's (the simulator throttles per tenant); each runner process paces itself with a budget of
// its own that learns the rate from the 429s it gets (exo rate/registry.ts: shared within a process, not across
// processes), so N runners find the tenant's budget by being throttled: the 429s column shows what that costs.
// Each run gets the same fresh groups (lab and tenant reset) and a database of its own (dlmigrate_bench_multi_<random>,
// dropped at the end), so it never meets a test's database. Prints figures only.
//   node --import tsx --conditions=dlmigrate-source bench/multi-runner.bench.ts [groups=120] [runners=1,2,4]
//   env LATENCY_MS (Exchange latency, default 150), BUDGET = requestsPerWindow/windowSeconds/maxConcurrent of the
//   tenant's Exchange budget (default 60/1/0: 60 calls per second, no concurrency cap), LAB (default bench-multi),
//   MAX_CPS: the runners' configured ceiling of calls per second (tenant.maxCallsPerSecond), which the runners of the
//   batch divide between them (core batch/budget-share.ts) — set to the tenant's budget, N runners meet no more 429s
//   than one; absent, each runner learns its rate from 429s on its own.
import { childDn } from '@dlmigrate/ad';
import { type BatchEvent } from '@dlmigrate/core';
import { planBatchRun } from '@dlmigrate/core/testing';
import { openStateStore } from '@dlmigrate/state';
import { throwawayPostgres } from '@dlmigrate/state/testing';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createMailGroups, startRunner, type RunnerProcess } from '../test/src/batch-support.js';
import { openWorld } from '../test/src/world.js';

const GROUPS = Number(process.argv[2] ?? 120);
const RUNNERS = (process.argv[3] ?? '1,2,4').split(',').map(Number);
const LATENCY_MS = Number(process.env['LATENCY_MS'] ?? 150);
const [perWindow, windowSeconds, maxConcurrent] = (process.env['BUDGET'] ?? '60/1/0').split('/').map(Number);
const LEASE_MS = 60_000;
const MAX_CPS = process.env['MAX_CPS'] === undefined ? undefined : Number(process.env['MAX_CPS']);

// No address quarantine: the bench measures scale-out, not the wait for a deleted holder's addresses.
const w = await openWorld(process.env['LAB'] ?? 'bench-multi', { addressQuarantineSeconds: 0 });
console.log(
  `${GROUPS} groups, runners ${RUNNERS.join(' / ')}, one PostgreSQL store per run; tenant budget ${perWindow} calls per ` +
    `${windowSeconds} s${maxConcurrent ? `, at most ${maxConcurrent} in flight` : ''}; ${LATENCY_MS} ms Exchange latency; ` +
    `runners' ceiling ${MAX_CPS === undefined ? 'none (learned from 429s)' : `${MAX_CPS} calls/s, shared`}`,
);
console.log(
  'runners   wall     up first/last  prepare/finish  groups/min  completed  staged once  syncs (waves)  calls/group  calls/s  429s   ' +
    'parked/finished per runner    CPU s runners/sim  load',
);
const syncCycles = () => Number(w.sim.syncStatus(w.tenantId)?.['cycles'] ?? 0);
try {
  for (const count of RUNNERS) {
    await w.reset();
    const ou = childDn('OU', `Bench Multi ${count}`, w.objects['ous.contoso']!.dn);
    await w.ad.connection.add(ou, { objectClass: ['top', 'organizationalUnit'] });
    const alice = w.objects['users.alice']!.dn;
    const names = Array.from({ length: GROUPS }, (_, i) => `m${count}-${String(i).padStart(4, '0')}`);
    await createMailGroups(
      w.ad,
      ou,
      names.map((alias) => ({ name: `Multi ${alias}`, alias, members: [alice] })),
    );
    const first = await w.sim.runSync(w.tenantId);
    if (first.status !== 'success') throw new Error(`sync before the batch: ${first.status}`);
    const pg = await throwawayPostgres('dlmigrate_bench_multi');
    const store = await openStateStore(pg.url);
    try {
      const planned = await planBatchRun(
        { ...w.deps, state: store },
        {
          groups: names.map((n) => `${n}@contoso.com`),
          options: { nonSyncOu: w.objects['ous.nonSync']!.dn },
        },
      );
      w.sim.resetCalls(w.tenantId);
      w.sim.setLatency('exchange', { fixedMs: LATENCY_MS, jitterMs: 0 });
      w.sim.setThrottling(w.tenantId, {
        requestsPerWindow: perWindow ?? 0,
        windowSeconds: windowSeconds ?? 1,
        maxConcurrent: maxConcurrent ?? 0,
      });
      const cyclesBefore = syncCycles();
      const started = performance.now();
      const cpuBefore = { runners: childrenCpuSeconds(), sim: process.cpuUsage() };
      const runners: RunnerProcess[] = Array.from({ length: count }, (_, i) =>
        startRunner({
          ...w.childConfig,
          statePath: pg.url,
          batchId: planned.batch.id,
          runnerId: `runner-${i + 1}`,
          leaseMs: LEASE_MS,
          ...(MAX_CPS !== undefined ? { maxCallsPerSecond: MAX_CPS } : {}),
        }),
      );
      // When each runner process printed its first event: starting a runner (Node, TypeScript through tsx,
      // connections) costs CPU seconds that a loaded machine stretches, and a runner still starting does no work.
      const up = runners.map((r) =>
        r
          .waitFor(() => true)
          .then(
            () => (performance.now() - started) / 1000,
            () => Number.NaN,
          ),
      );
      // Preparing ends when the level's one sync is triggered; the rest is the wave's deletion and finishing.
      const syncAt = Promise.any(runners.map((r) => r.waitFor((e) => e.type === 'sync-triggered'))).then(
        () => (performance.now() - started) / 1000,
        () => Number.NaN,
      );
      const exits = await Promise.all(runners.map((r) => r.exited));
      const seconds = (performance.now() - started) / 1000;
      // CPU the runner processes used (all of them, exited and waited for), and this process: the simulated tenant
      // every runner talks to. Against the wall time and the load, they tell a CPU-starved run from an I/O-bound one.
      const runnersCpu = childrenCpuSeconds() - cpuBefore.runners;
      const simUsage = process.cpuUsage(cpuBefore.sim);
      const simCpu = (simUsage.user + simUsage.system) / 1e6;
      const preparing = await syncAt;
      // A runner that found no work left may print no event at all: it counts as never up.
      const upSeconds = (await Promise.all(up)).filter((s) => Number.isFinite(s));
      w.sim.setThrottling(w.tenantId, { requestsPerWindow: 0, windowSeconds: 1, maxConcurrent: 0 });
      w.sim.setLatency('exchange', { fixedMs: 0, jitterMs: 0 });
      if (exits.some((code) => code !== 0))
        throw new Error(`a runner failed: ${runners.map((r) => r.stderr()).join('\n')}`);

      const migrations = await store.listMigrations({ batchId: planned.batch.id });
      const completed = migrations.filter((m) => m.status.startsWith('completed')).length;
      let stagedOnce = 0;
      for (const m of migrations) {
        const journal = await store.listJournal(m.id);
        if (journal.filter((e) => e.step === 'stage' && e.event === 'completed').length === 1) stagedOnce++;
      }
      const calls = w.sim.calls(w.tenantId);
      const exchangeCalls = Object.values(calls.cmdlets).reduce((sum, n) => sum + n, 0);
      // Prepared: the runner parked the group (capture → park); finished: it ran the group's report.
      const did = (r: RunnerProcess, step: string) =>
        r.events.filter((e: BatchEvent) => e.type === 'step' && e.step === step && e.event === 'completed')
          .length;
      const perRunner = runners.map((r) => `${did(r, 'park')}/${did(r, 'report')}`).join(' ');
      console.log(
        `${String(count).padStart(7)}  ${seconds.toFixed(0).padStart(5)} s  ` +
          `${(upSeconds.length === 0 ? '-' : `${Math.min(...upSeconds).toFixed(0)} s / ${Math.max(...upSeconds).toFixed(0)} s`).padStart(13)}  ` +
          `${`${preparing.toFixed(0)} s / ${(seconds - preparing).toFixed(0)} s`.padStart(14)}  ` +
          `${((GROUPS / seconds) * 60).toFixed(1).padStart(10)}  ` +
          `${`${completed}/${GROUPS}`.padStart(9)}  ${`${stagedOnce}/${GROUPS}`.padStart(11)}  ` +
          `${`${syncCycles() - cyclesBefore} (${planned.layout.waves.length})`.padStart(13)}  ` +
          `${(exchangeCalls / GROUPS).toFixed(1).padStart(11)}  ${(exchangeCalls / seconds).toFixed(1).padStart(7)}  ` +
          `${String(calls.throttled).padStart(4)}   ` +
          `${perRunner.padEnd(28)}  ${`${runnersCpu.toFixed(0)} / ${simCpu.toFixed(0)}`.padStart(17)}  ` +
          `${loadavg()[0]!.toFixed(1)}`,
      );
    } finally {
      await store.close();
      await pg.drop();
    }
  }
} finally {
  await w.close();
}

/** CPU seconds of this process's exited children (user + system; Linux /proc/self/stat cutime and cstime). */
function childrenCpuSeconds(): number {
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis start at field 3.
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const ticksPerSecond = 100; // USER_HZ, 100 on Linux
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / ticksPerSecond;
}
