// One migration in a process of its own, for bench/memory.bench.ts: builds the engine's dependencies from the
// parent's lab, simulated tenant and state file (test/src/child-deps.ts), migrates one group and prints one JSON line
// with the process's peak RSS. Input: JSON in DLMIGRATE_CHILD (ChildConfig plus address and nonSyncOu).
import { writeHeapSnapshot } from 'node:v8';
import { boundHeapGrowth, MigrationEngine } from '@dlmigrate/core';
import { childDeps } from '../test/src/child-deps.js';
import type { ChildConfig } from '../test/src/world.js';

const input = JSON.parse(process.env['DLMIGRATE_CHILD'] ?? '{}') as ChildConfig & {
  readonly address: string;
  readonly nonSyncOu: string;
};
// As the command line does (apps/cli/src/bin.ts); NO_HEAP_BOUND=1 leaves V8's default, to compare.
const heapGrowth = process.env['NO_HEAP_BOUND'] === '1' ? 'V8 default' : boundHeapGrowth();
const child = await childDeps(input);
// What the process holds before the migration starts (modules, connections): the floor under every figure.
const baseRssMiB = process.memoryUsage().rss / 2 ** 20;
// HEAP_SNAPSHOT=<step>: a heap snapshot (v8.writeHeapSnapshot, in the working directory) when that step ends, to see
// what is alive then.
const snapshotAfter = process.env['HEAP_SNAPSHOT'];
const started = performance.now();
// Peak RSS when each step ended (the process's high-water mark so far): where the memory goes, step by step.
const steps: Array<[string, number]> = [];
const peakMiB = () => process.resourceUsage().maxRSS / 1024;
// The JS heap and the memory outside it (Buffers, TLS, SQLite) sampled every 50 ms, their highest values per step:
// whether a step's peak is JavaScript objects (heapUsed) or native memory (rss − heapTotal).
const heapPeaks: Array<[string, number, number]> = [];
// With RUNNER_FLAGS=--expose-gc: the heap still alive when each step ends (after a full collection) — what the step
// keeps, as opposed to the garbage its peak also counts.
const collect = (globalThis as { gc?: () => void }).gc;
const liveAfter: Array<[string, number]> = [];
let heapPeak = 0;
let nativePeak = 0;
const sample = () => {
  const m = process.memoryUsage();
  heapPeak = Math.max(heapPeak, m.heapUsed);
  nativePeak = Math.max(nativePeak, m.rss - m.heapTotal);
};
const sampler = setInterval(sample, 50);
const outcome = await new MigrationEngine(child.deps).migrate(
  input.address,
  { nonSyncOu: input.nonSyncOu },
  {
    onEvent: (event) => {
      // A line per step event: with --trace-gc, the collections of each step between them (CHILD_OUT).
      process.stdout.write(`STEP ${event.step} ${event.event}\n`);
      if (event.event === 'started') return;
      sample();
      steps.push([event.step, Math.round(peakMiB())]);
      heapPeaks.push([event.step, Math.round(heapPeak / 2 ** 20), Math.round(nativePeak / 2 ** 20)]);
      if (collect !== undefined) {
        collect();
        liveAfter.push([event.step, Math.round(process.memoryUsage().heapUsed / 2 ** 20)]);
      }
      heapPeak = 0;
      nativePeak = 0;
      if (event.step === snapshotAfter) process.stderr.write(`heap snapshot: ${writeHeapSnapshot()}\n`);
    },
  },
);
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    status: outcome.status,
    findings: outcome.report.findings.length,
    seconds,
    maxRssMiB: usage.maxRSS / 1024,
    heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
    baseRssMiB,
    heapGrowth,
    steps,
    heapPeaks,
    liveAfter,
  })}\n`,
);
await child.close();
