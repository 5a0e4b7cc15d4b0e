// The outage of single migrations under an Entra-Connect-like sync (issue 15): the trigger returns at once and each
// deletion reaches Graph, then Exchange Online, seconds later — as a real cycle does — so the time the group's
// addresses have no recipient depends on how soon the deletion is seen and how fast take-over converges. Migrates one
// group N times (the lab reset in between) and prints each migration's window from its report (deletion seen →
// take-over converged, and the most it can have been: last poll that still saw the group → converged), then p50/p95.
//   node --import tsx --conditions=dlmigrate-source bench/outage.bench.ts [runs=10] [address=sales@contoso.com]
// Env: CYCLE_MS (trigger → export, default 3000), GRAPH_MS / EXCHANGE_MS (delay + up to as much jitter, defaults
// 1000 / 1000). Uses the `core` lab (env LAB names another). Prints figures, asserts nothing; with env FIGURES_FILE
// it also writes them there as JSON (bench/weather.bench.ts puts them in one table).
import { performance } from 'node:perf_hooks';
import { summarizeOutages } from '@dlmigrate/core/testing';
import { openWorld } from '../test/src/world.js';
import { loadAverage, writeFigures } from './figures.js';

const RUNS = Number(process.argv[2] ?? 10);
const ADDRESS = process.argv[3] ?? 'sales@contoso.com';
const cycleMs = Number(process.env['CYCLE_MS'] ?? 3000);
const graphMs = Number(process.env['GRAPH_MS'] ?? 1000);
const exchangeMs = Number(process.env['EXCHANGE_MS'] ?? 1000);

const world = await openWorld(process.env['LAB'] ?? 'core');
const loadBefore = loadAverage();
const timing = {
  mode: 'async' as const,
  cycleMs,
  graphDelayMs: graphMs,
  graphJitterMs: graphMs,
  exchangeDelayMs: exchangeMs,
  exchangeJitterMs: exchangeMs,
};
console.log(
  `sync: asynchronous, cycle ${cycleMs} ms, Graph +${graphMs}–${2 * graphMs} ms, Exchange +${exchangeMs}–${2 * exchangeMs} ms`,
);
const seen: number[] = [];
const atMost: number[] = [];
try {
  for (let run = 1; run <= RUNS; run++) {
    await world.reset();
    world.sim.setSyncTiming(world.tenantId, timing);
    const started = performance.now();
    const outcome = await world.engine.migrate(ADDRESS, { nonSyncOu: world.objects['ous.nonSync']!.dn });
    const wall = Math.round(performance.now() - started);
    const outage = outcome.report.outage;
    if (outage?.seconds !== undefined) seen.push(outage.seconds);
    if (outage?.atMostSeconds !== undefined) atMost.push(outage.atMostSeconds);
    // The findings by code: a warning the weather made (a late deletion, a retry given up) would show here.
    const codes = [...new Set(outcome.report.findings.map((f) => `${f.severity} ${f.code}`))].sort();
    console.log(
      `run ${run}: ${outcome.status}, ${wall} ms wall; outage ${outage?.seconds?.toFixed(2) ?? '—'} s` +
        ` (at most ${outage?.atMostSeconds?.toFixed(2) ?? '—'} s)${codes.length > 0 ? `; findings: ${codes.join(', ')}` : ''}`,
    );
  }
} finally {
  world.sim.setSyncTiming(world.tenantId, { mode: 'inline' });
  await world.close();
}
const fmt = (s: ReturnType<typeof summarizeOutages>) =>
  s === null
    ? 'none'
    : `p50 ${s.p50Seconds.toFixed(2)} s, p95 ${s.p95Seconds.toFixed(2)} s, max ${s.maxSeconds.toFixed(2)} s`;
console.log(`\n${RUNS} single migrations of ${ADDRESS}`);
console.log(`  outage, deletion seen → take-over converged: ${fmt(summarizeOutages(seen))}`);
console.log(
  `  outage, last poll that saw the group → converged (upper bound): ${fmt(summarizeOutages(atMost))}`,
);
const loadAfter = loadAverage();
console.log(`load average (1/5/15 min) at the start: ${loadBefore}; at the end: ${loadAfter}`);
writeFigures({
  runs: RUNS,
  outage: summarizeOutages(seen),
  atMost: summarizeOutages(atMost),
  loadBefore,
  loadAfter,
});
