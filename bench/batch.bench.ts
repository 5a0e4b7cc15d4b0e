// What a 1,000-group batch costs: sync cycles, Exchange Online calls per group (cloud-sim's per-cmdlet counter) and
// total time, in one runner process against the `batch` lab and an in-process simulated tenant.
// The batch: 800 leaf groups and 200 parents of 4 leaves each → two dependency levels; the 800 leaves exceed the
// default deletion threshold (500, waves of 450 with its margin) and run as two sync waves, so three sync cycles in all.
// Run: node --import tsx --conditions=dlmigrate-source bench/batch.bench.ts [groups=1000] [throttle]
//   throttle = requestsPerWindow/windowSeconds/maxConcurrent for the tenant's InvokeCommand budget, e.g. 200/1/8
//   (429 with Retry-After past the budget; none by default).
// Weather (issue 15): env SYNC=async gives the simulated tenant an Entra-Connect-like asynchronous sync (cloud-sim's
//   quickAsyncTiming: the trigger returns at once, each deletion leaves Graph then Exchange 0.5–2.5 s later);
//   MAX_CALLS_PER_SECOND caps the client's rate budget. The issue's throttled batch is `… batch.bench.ts 50 2/1/0`
//   (50 groups, 2 calls per 1 s window) with SYNC=async.
//   LATENCY_MS adds that much server time to every Exchange Online call; STRAGGLER_MS (with SYNC=async) makes the first
//   group of every wave a straggler whose deletion reaches Graph that late. The outage window per group (deletion
//   seen → take-over converged, from each migration's report) is printed as p50 / p95, stragglers apart. The issue's
//   outage run is `SYNC=async LATENCY_MS=150 STRAGGLER_MS=30000 … batch.bench.ts 1000`.
// Uses (and resets first) the `batch` lab instance (env LAB names another); prints figures, asserts nothing. With env
// FIGURES_FILE it also writes the headline figures there as JSON (bench/weather.bench.ts puts them in one table).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActiveDirectory, childDn } from '@dlmigrate/ad';
import { CloudSim, quickAsyncTiming } from '@dlmigrate/cloud-sim';
import { createSyncTrigger, MigrationEngine, runBatch, type BatchEvent } from '@dlmigrate/core';
import { planBatchRun } from '@dlmigrate/core/testing';
import { summarizeOutages } from '@dlmigrate/core/testing';
import { CloudConnection, customCloud } from '@dlmigrate/exo';
import { certificateFromPem } from '@dlmigrate/exo/testing';
import { Lab } from '@dlmigrate/lab';
import { openStateStore } from '@dlmigrate/state';
import { simulatedContoso } from '../test/src/tenant.js';
import { loadAverage, writeFigures } from './figures.js';

const TOTAL = Number(process.argv[2] ?? 1000);
const THROTTLE = process.argv[3]?.split('/').map(Number);
const ASYNC_SYNC = process.env['SYNC'] === 'async';
const MAX_CALLS_PER_SECOND = process.env['MAX_CALLS_PER_SECOND']
  ? Number(process.env['MAX_CALLS_PER_SECOND'])
  : undefined;
const LATENCY_MS = Number(process.env['LATENCY_MS'] ?? 0);
const STRAGGLER_MS = Number(process.env['STRAGGLER_MS'] ?? 0);
const PARENTS = Math.floor(TOTAL / 5);
const LEAVES = TOTAL - PARENTS;

const lab = await Lab.ensure({ name: process.env['LAB'] ?? 'batch' });
await lab.reset();
const env = lab.env();
const objects = lab.seeded()!.objects;

const sim = await CloudSim.start();
const { tenant, cert, app } = simulatedContoso(sim, env, objects, {
  subject: 'dlmigrate batch bench',
  sync: ASYNC_SYNC ? { timing: quickAsyncTiming } : {},
});
sim.seedRecipients(tenant.id, [
  { type: 'MailUniversalDistributionGroup', name: 'Legacy', primarySmtpAddress: 'legacy@contoso.com' },
]);

const ad = new ActiveDirectory({
  url: env.url,
  caPem: env.caPem,
  bindDn: env.bindDn,
  password: env.bindPassword,
});
const ou = childDn('OU', 'Bench Batch', objects['ous.contoso']!.dn);
await ad.connection.add(ou, { objectClass: ['top', 'organizationalUnit'] });
const alice = objects['users.alice']!.dn;
const t0 = performance.now();
const addGroup = async (alias: string, members: string[]) => {
  const dn = childDn('CN', `Bench ${alias}`, ou);
  await ad.connection.add(dn, {
    objectClass: ['top', 'group'],
    sAMAccountName: [alias],
    groupType: ['8'],
    displayName: [`Bench ${alias}`],
    mail: [`${alias}@contoso.com`],
    mailNickname: [alias],
    proxyAddresses: [`SMTP:${alias}@contoso.com`, `smtp:${alias}@contoso.mail.onmicrosoft.com`],
    legacyExchangeDN: [
      `/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${alias}`,
    ],
    msExchRecipientDisplayType: ['1'],
    msExchRecipientTypeDetails: ['256'],
    member: members,
  });
  return dn;
};
const leaves: string[] = [];
for (let i = 0; i < LEAVES; i++) leaves.push(await addGroup(`leaf${String(i).padStart(4, '0')}`, [alice]));
for (let i = 0; i < PARENTS; i++)
  await addGroup(`parent${String(i).padStart(4, '0')}`, leaves.slice(i * 4, i * 4 + 4));
const first = await sim.runSync(tenant.id);
console.log(
  `setup: ${LEAVES} leaf + ${PARENTS} parent groups created and synced (${first.status}), ${Math.round(performance.now() - t0)} ms`,
);

const cloud = await CloudConnection.open({
  cloud: customCloud({ url: sim.url, caPem: sim.caPem }),
  tenantId: tenant.id,
  clientId: app.clientId,
  certificate: certificateFromPem(cert.certPem, cert.keyPem),
  ...(MAX_CALLS_PER_SECOND !== undefined ? { maxCallsPerSecond: MAX_CALLS_PER_SECOND } : {}),
});
console.log(
  `sync: ${ASYNC_SYNC ? 'asynchronous (quickAsyncTiming)' : 'inline'}; client ceiling: ${MAX_CALLS_PER_SECOND ?? 'none'} calls/s`,
);
const dir = mkdtempSync(join(tmpdir(), 'dlmigrate-batch-bench-'));
const state = await openStateStore(join(dir, 'state.db'));
const sync = createSyncTrigger({ kind: 'http', url: `${sim.url}/_sim/sync/run`, caPem: sim.caPem });
const deps = { ad, exchange: cloud.exchange, graph: cloud.graph, state, sync, runnerId: 'bench' };

const addresses = [
  ...Array.from({ length: PARENTS }, (_, i) => `parent${String(i).padStart(4, '0')}@contoso.com`),
  ...Array.from({ length: LEAVES }, (_, i) => `leaf${String(i).padStart(4, '0')}@contoso.com`),
];
if (THROTTLE !== undefined) {
  const [requestsPerWindow = 0, windowSeconds = 1, maxConcurrent = 0] = THROTTLE;
  sim.setThrottling(tenant.id, { requestsPerWindow, windowSeconds, maxConcurrent });
  console.log(
    `throttling: ${requestsPerWindow} calls per ${windowSeconds} s, at most ${maxConcurrent} in flight`,
  );
}
if (LATENCY_MS > 0) {
  sim.setLatency('exchange', { fixedMs: LATENCY_MS, jitterMs: 0 });
  console.log(`Exchange Online latency: ${LATENCY_MS} ms per call`);
}
sim.resetCalls(tenant.id);
const cyclesBefore = Number(sim.syncStatus(tenant.id)?.['cycles'] ?? 0);
const adBefore = ad.counts;
const tPlan = performance.now();
const planned = await planBatchRun(deps, {
  groups: addresses,
  options: { nonSyncOu: objects['ous.nonSync']!.dn },
});
const planMs = performance.now() - tPlan;
const planLdap = ad.counts.searches - adBefore.searches;

const stragglers = new Set<string>();
if (STRAGGLER_MS > 0) {
  for (const wave of planned.layout.waves) {
    const address = wave[0]!;
    stragglers.add(address.toLowerCase());
    sim.addSyncStraggler(tenant.id, { match: { address }, graphDelayMs: STRAGGLER_MS });
  }
  console.log(
    `stragglers: ${stragglers.size} (one per wave), deletion reaches Graph ${STRAGGLER_MS} ms late`,
  );
}

const phaseTimes: string[] = [];
let last = performance.now();
/** When the runner heard of each group's deletion (after the poll that saw it, and its write of the level's data). */
const heardAt = new Map<string, number>();
/**
 * When the simulated tenant removed each group from Exchange Online (its address free from then on), by group name:
 * the deletion schedule of the level's sync cycle, read once the level's watch is over (the level's final sync is a
 * later cycle). The true outage runs from there; the report's window starts only at the poll that saw the group gone.
 */
const exchangeGoneAt = new Map<string, number>();
const readDeletionSchedule = () => {
  const last = sim.syncStatus(tenant.id)?.['lastCycle'] as
    { deletionSchedule?: { name: string; exchangeAt: string }[] } | undefined;
  for (const d of last?.deletionSchedule ?? [])
    exchangeGoneAt.set(d.name.toLowerCase(), Date.parse(d.exchangeAt));
};
const onEvent = (e: BatchEvent) => {
  if (e.type === 'deletions' || e.type === 'deletion-seen') readDeletionSchedule();
  if (e.type === 'deletion-seen') heardAt.set(e.migrationId, Date.now());
  if (e.type === 'level' || e.type === 'deletions') {
    const now = performance.now();
    const what =
      e.type === 'level'
        ? `wave ${e.level} ${e.phase} (${e.groups} groups)`
        : `wave ${e.level} deletions seen: ${e.deleted}, pending ${e.pending}, ${e.polls} poll(s)`;
    phaseTimes.push(`  +${Math.round(now - last)} ms  ${what}`);
    last = now;
  }
};
const loadBefore = loadAverage();
const adAtRun = ad.counts;
const tRun = performance.now();
const outcome = await runBatch(deps, planned.batch.id, { onEvent });
const adRun = ad.counts;
const loadAfter = loadAverage();
const runMs = performance.now() - tRun;

const calls = sim.calls(tenant.id);
const exchangeCalls = Object.values(calls.cmdlets).reduce((a, b) => a + b, 0);
const graphCalls = Object.values(calls.graph).reduce((a, b) => a + b, 0);
const byStatus = new Map<string, number>();
for (const g of outcome.groups) byStatus.set(g.status, (byStatus.get(g.status) ?? 0) + 1);

console.log(
  `\nbatch of ${TOTAL} groups: ${planned.layout.waves.length} sync waves (sizes ${planned.layout.waves.map((w) => w.length).join(', ')}), status ${outcome.status}`,
);
console.log(`groups by status: ${[...byStatus].map(([s, n]) => `${s} ${n}`).join(', ')}`);
console.log(`sync cycles: ${Number(sim.syncStatus(tenant.id)?.['cycles'] ?? 0) - cyclesBefore}`);
console.log(
  `Exchange calls: ${exchangeCalls} total, ${(exchangeCalls / TOTAL).toFixed(1)} per group; throttled ${calls.throttled}`,
);
const budget = cloud.transport.stats();
console.log(
  `client: ${budget.throttles} throttled answers, ${budget.retries} retries, ${budget.failures} calls failed` +
    `${
      budget.failures > 0
        ? ` (${Object.entries(budget.failuresByKind)
            .map(([kind, n]) => `${kind} ×${n}`)
            .join(', ')})`
        : ''
    }, ` +
    `${budget.notFound} answered not found; ` +
    `rate budget ${budget.rate.callsPerSecond === null ? 'unpaced' : `${budget.rate.callsPerSecond.toFixed(2)} calls/s`}, ` +
    `callers waited ${(budget.rate.waitedMs / 1000).toFixed(0)} s in all; ` +
    `calls in flight at most ${budget.concurrency.peakInFlight} (limit now ${budget.concurrency.limit})`,
);
console.log(
  `Graph calls: ${graphCalls} total, ${(graphCalls / TOTAL).toFixed(1)} per group; tokens ${calls.tokens}`,
);
console.log('Exchange calls per cmdlet (per group):');
for (const [cmdlet, n] of Object.entries(calls.cmdlets).sort((a, b) => b[1] - a[1]))
  console.log(`  ${cmdlet.padEnd(34)} ${String(n).padStart(6)}  ${(n / TOTAL).toFixed(2)}`);
console.log(`plan: ${Math.round(planMs)} ms (${planLdap} LDAP searches)`);
// A search whose answer fits one page is one round trip; an extra page is a second trip (issue 17).
console.log(
  `LDAP during the run: ${adRun.searches - adAtRun.searches} searches (${((adRun.searches - adAtRun.searches) / TOTAL).toFixed(1)} per group), ` +
    `${adRun.extraPages - adAtRun.extraPages} extra pages, ${adRun.rangedReads - adAtRun.rangedReads} ranged reads, ` +
    `${adRun.modifies - adAtRun.modifies + adRun.adds - adAtRun.adds + adRun.modifyDns - adAtRun.modifyDns} writes`,
);
console.log(
  `run: ${Math.round(runMs)} ms (${((TOTAL / runMs) * 60_000).toFixed(0)} groups/min); total ${Math.round(planMs + runMs)} ms`,
);
console.log(`load average (1/5/15 min) at the run's start: ${loadBefore}; at its end: ${loadAfter}`);
const engine = new MigrationEngine(deps);
const windows: number[] = [];
const stragglerWindows: number[] = [];
/** Removed from Exchange Online (the simulator's schedule) → take-over converged, stragglers excluded. */
const trueWindows: number[] = [];
// Where the window goes, per group (stragglers excluded), from the journal's commit times: the poll that saw the
// deletion → the runner heard of it → await-deletion journaled as started (the group claimed and its run begun) →
// take-over started → Exchange Online showed every address.
const segments = {
  'poll → heard': [] as number[],
  'heard → await-deletion started': [] as number[],
  'await-deletion started → take-over started': [] as number[],
  'take-over started → converged': [] as number[],
};
for (const g of outcome.groups) {
  const outage = (await engine.report(g.migrationId))?.outage;
  const seconds = outage?.seconds;
  if (seconds === undefined) continue;
  const straggler = stragglers.has(g.address.toLowerCase());
  (straggler ? stragglerWindows : windows).push(seconds);
  const heard = heardAt.get(g.migrationId);
  if (straggler || heard === undefined || outage?.takeOverConvergedAt === undefined) continue;
  const removed = exchangeGoneAt.get(`bench ${g.address.split('@')[0]!}`.toLowerCase());
  if (removed !== undefined) trueWindows.push((Date.parse(outage.takeOverConvergedAt) - removed) / 1000);
  const journal = await state.listJournal(g.migrationId);
  const at = (step: string, event: string) =>
    Date.parse(journal.findLast((e) => e.step === step && e.event === event)?.at ?? '');
  const marks = [
    Date.parse(outage.deletionSeenAt),
    heard,
    at('await-deletion', 'started'),
    at('take-over', 'started'),
    Date.parse(outage.takeOverConvergedAt),
  ];
  if (marks.some(Number.isNaN)) continue;
  Object.values(segments).forEach((list, i) => list.push((marks[i + 1]! - marks[i]!) / 1000));
}
const outage = summarizeOutages(windows);
const fmt = (n: number) => `${n.toFixed(2)} s`;
console.log(
  outage === null
    ? 'outage window (deletion seen → take-over converged): none measured'
    : `outage window (deletion seen → take-over converged), ${outage.groups} groups${stragglers.size > 0 ? ', stragglers excluded' : ''}: ` +
        `p50 ${fmt(outage.p50Seconds)}, p95 ${fmt(outage.p95Seconds)}, max ${fmt(outage.maxSeconds)}`,
);
const truly = summarizeOutages(trueWindows);
if (truly !== null)
  console.log(
    `  removed from Exchange Online (simulator's schedule) → converged, ${truly.groups} groups: ` +
      `p50 ${fmt(truly.p50Seconds)}, p95 ${fmt(truly.p95Seconds)}, max ${fmt(truly.maxSeconds)}`,
  );
if (stragglerWindows.length > 0)
  console.log(`  stragglers' own windows: ${stragglerWindows.map(fmt).join(', ')}`);
for (const [segment, values] of Object.entries(segments)) {
  const s = summarizeOutages(values);
  if (s !== null)
    console.log(
      `  ${segment.padEnd(44)} p50 ${fmt(s.p50Seconds)}, p95 ${fmt(s.p95Seconds)}, max ${fmt(s.maxSeconds)}`,
    );
}
writeFigures({
  groups: TOTAL,
  byStatus: Object.fromEntries(byStatus),
  runSeconds: runMs / 1000,
  totalSeconds: (planMs + runMs) / 1000,
  exchangeCallsPerGroup: exchangeCalls / TOTAL,
  throttled: calls.throttled,
  outage,
  trueOutage: truly,
  takeOver: summarizeOutages(segments['take-over started → converged']),
  loadBefore,
  loadAfter,
});
console.log('phases:');
for (const line of phaseTimes) console.log(line);
const failed = outcome.groups.filter((g) => !g.status.startsWith('completed'));
if (failed.length > 0) console.log('not migrated:');
for (const g of failed) {
  const why = (await state.listFindings(g.migrationId))
    .filter((e) => e.severity === 'blocking')
    .map((e) => `${e.step ?? ''} ${e.code}: ${e.message}`);
  console.log(`  ${g.address} ${g.status}: ${why.join(' | ').slice(0, 400)}`);
}

await state.close();
await ad.close();
cloud.close();
await sim.stop();
rmSync(dir, { recursive: true, force: true });
await lab.reset();
