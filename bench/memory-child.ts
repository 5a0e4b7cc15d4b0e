// One migration in a process of its own, for bench/memory.bench.ts: builds the engine's dependencies from the
// parent's lab, simulated tenant and state file (test/src/child-deps.ts), migrates one group and prints one JSON line
// with the process's peak RSS. Input: JSON in DLMIGRATE_CHILD (ChildConfig plus address and nonSyncOu).
import { MigrationEngine } from '@dlmigrate/core';
import { childDeps } from '../test/src/child-deps.js';
import type { ChildConfig } from '../test/src/world.js';

const input = JSON.parse(process.env['DLMIGRATE_CHILD'] ?? '{}') as ChildConfig & {
  readonly address: string;
  readonly nonSyncOu: string;
};
const child = await childDeps(input);
const started = performance.now();
// Peak RSS when each step ended (the process's high-water mark so far): where the memory goes, step by step.
const steps: Array<[string, number]> = [];
const peakMiB = () => process.resourceUsage().maxRSS / 1024;
const outcome = await new MigrationEngine(child.deps).migrate(
  input.address,
  { nonSyncOu: input.nonSyncOu },
  {
    onEvent: (event) => {
      if (event.event !== 'started') steps.push([event.step, Math.round(peakMiB())]);
    },
  },
);
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    status: outcome.status,
    findings: outcome.report.findings.length,
    seconds,
    maxRssMiB: usage.maxRSS / 1024,
    heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
    steps,
  })}\n`,
);
await child.close();
