// Runs one migration in its own process against the world of the parent test (its lab, its simulated tenant, its
// state file) and, if asked, kills itself with SIGKILL right after a step has been journaled — the hardest crash.
// Input: JSON in DLMIGRATE_CHILD (see ChildConfig plus address, nonSyncOu, killAfter, killOn).
import { MigrationEngine } from '@dlmigrate/core';
import { childDeps } from './child-deps.js';
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
const child = await childDeps(input);
const engine = new MigrationEngine(child.deps);
const run = {
  onEvent: (e: { step: string; event: string }) => {
    if (e.step === input.killAfter && e.event === (input.killOn ?? 'completed'))
      process.kill(process.pid, 'SIGKILL');
  },
};
const outcome =
  input.updateAddressTo === undefined
    ? await engine.migrate(input.address, { nonSyncOu: input.nonSyncOu }, run)
    : await engine.updateHybridAddress(input.address, input.updateAddressTo, undefined, run);
process.stdout.write(`${JSON.stringify(outcome)}\n`);
await child.close();
