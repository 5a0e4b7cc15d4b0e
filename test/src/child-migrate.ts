// Runs one migration in its own process against the world of the parent test (its lab, its simulated tenant, its
// state file) and, if asked, kills itself with SIGKILL right after a step has been journaled — the hardest crash.
// Input: JSON in DLMIGRATE_CHILD (see ChildConfig plus address, nonSyncOu, killAfter, killOn).
import { ActiveDirectory } from '@dlmigrate/ad';
import { createSyncTrigger, MigrationEngine } from '@dlmigrate/core';
import { certificateFromPem, CloudConnection, customCloud } from '@dlmigrate/exo';
import { Lab } from '@dlmigrate/lab';
import { openStateStore } from '@dlmigrate/state';
import type { ChildConfig } from './world.js';

interface ChildInput extends ChildConfig {
  readonly address: string;
  readonly nonSyncOu: string;
  readonly killAfter?: string;
  readonly killOn?: 'started' | 'completed';
  /** Instead of a migration: change the hybrid address of `address` to this one. */
  readonly updateAddressTo?: string;
}

const input = JSON.parse(process.env['DLMIGRATE_CHILD'] ?? '{}') as ChildInput;
const env = (await Lab.ensure({ name: input.labName })).env();
const ad = new ActiveDirectory({ url: env.url, caPem: env.caPem, bindDn: env.bindDn, password: env.bindPassword });
const cloud = await CloudConnection.open({
  cloud: customCloud({ url: input.simUrl, caPem: input.simCaPem }),
  tenantId: input.tenantId,
  clientId: input.clientId,
  certificate: certificateFromPem(input.certPem, input.keyPem),
});
const state = await openStateStore(input.statePath);
const engine = new MigrationEngine({
  ad,
  exchange: cloud.exchange,
  graph: cloud.graph,
  state,
  sync: createSyncTrigger({ kind: 'http', url: `${input.simUrl}/_sim/sync/run`, caPem: input.simCaPem }),
});
const run = {
  onEvent: (e: { step: string; event: string }) => {
    if (e.step === input.killAfter && e.event === (input.killOn ?? 'completed')) process.kill(process.pid, 'SIGKILL');
  },
};
const outcome =
  input.updateAddressTo === undefined
    ? await engine.migrate(input.address, { nonSyncOu: input.nonSyncOu }, run)
    : await engine.updateHybridAddress(input.address, input.updateAddressTo, undefined, run);
process.stdout.write(`${JSON.stringify(outcome)}\n`);
await state.close();
await ad.close();
await cloud.close();
