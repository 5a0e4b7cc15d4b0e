// One batch runner as its own process (what a second machine runs): builds the engine's connections from the config
// file given as the only argument, runs the batch, prints every batch event as one JSON line and `done <status>` at
// the end. Tests kill it with SIGKILL to prove a batch resumes.
import { readFileSync } from 'node:fs';
import { ActiveDirectory } from '@dlmigrate/ad';
import { createSyncTrigger, runBatch } from '@dlmigrate/core';
import { certificateFromPem, CloudConnection, customCloud } from '@dlmigrate/exo';
import { Lab } from '@dlmigrate/lab';
import { openStateStore } from '@dlmigrate/state';
import type { RunnerConfig } from './batch-support.js';

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as RunnerConfig;
const env = (await Lab.ensure({ name: config.labName })).env();
const ad = new ActiveDirectory({ url: env.url, caPem: env.caPem, bindDn: env.bindDn, password: env.bindPassword, moveRetry: { attempts: 2, delayMs: 100 } });
const cloud = await CloudConnection.open({
  cloud: customCloud({ url: config.simUrl, caPem: config.simCaPem }),
  tenantId: config.tenantId,
  clientId: config.clientId,
  certificate: certificateFromPem(config.certPem, config.keyPem),
});
const state = await openStateStore(config.state);
const sync = createSyncTrigger({ kind: 'http', url: `${config.simUrl}/_sim/sync/run`, caPem: config.simCaPem });
const outcome = await runBatch(
  { ad, exchange: cloud.exchange, graph: cloud.graph, state, sync, runnerId: config.runnerId, leaseMs: config.leaseMs },
  config.batchId,
  { onEvent: (event) => process.stdout.write(`${JSON.stringify(event)}\n`), waitIntervalMs: 250, syncLeaseMs: config.leaseMs },
);
process.stdout.write(`done ${outcome.status}\n`);
await state.close();
await ad.close();
await cloud.close();
