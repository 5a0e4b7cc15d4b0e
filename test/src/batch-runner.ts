// One batch runner as its own process (what a second machine runs): builds the engine's connections from the config
// file given as the only argument, runs the batch, prints every batch event as one JSON line and `done <status>` at
// the end. Tests kill it with SIGKILL to prove a batch resumes.
import { readFileSync } from 'node:fs';
import { runBatch } from '@dlmigrate/core';
import type { RunnerConfig } from './batch-support.js';
import { childDeps } from './child-deps.js';

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as RunnerConfig;
const world = await childDeps(config, { moveRetry: { attempts: 2, delayMs: 100 } });
const outcome = await runBatch(
  { ...world.deps, runnerId: config.runnerId, leaseMs: config.leaseMs },
  config.batchId,
  {
    onEvent: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
    waitIntervalMs: 250,
    syncLeaseMs: config.leaseMs,
    budgetShareMs: 500,
  },
);
process.stdout.write(`done ${outcome.status}\n`);
await world.close();
