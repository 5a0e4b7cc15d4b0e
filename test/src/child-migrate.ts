// Runs one migration in its own process against the world of the parent test (its lab, its simulated tenant, its
// state file) and, if asked, kills itself with SIGKILL right after a step has been journaled — the hardest crash.
// Input: JSON in DLMIGRATE_CHILD (see ChildConfig plus address, nonSyncOu, killAfter, killOn).
import { MigrationEngine } from '@dlmigrate/core';
import { childDeps } from './child-deps.js';
import { killAtTokenRequest, killingDeps, type KillAt } from './fault-matrix.js';
import { startOperation, type Operation } from './fault-operations.js';
import type { ChildConfig } from './world.js';

interface ChildInput extends ChildConfig {
  readonly address: string;
  readonly nonSyncOu: string;
  readonly killAfter?: string;
  readonly killOn?: 'started' | 'completed';
  /** Instead of a migration: change the hybrid address of `address` to this one. */
  readonly updateAddressTo?: string;
  /** SIGKILL right before (or right after) the first call of `method` on a dependency while `step` runs. */
  readonly killAt?: KillAt;
  /** Instead of a migration: this operation of the fault matrix (fault-operations.ts). */
  readonly operation?: Operation;
}

const input = JSON.parse(process.env['DLMIGRATE_CHILD'] ?? '{}') as ChildInput;
const child = await childDeps(input);
let currentStep = '';
// A kill at a token request is at the connection's token source (every client of the connection asks it).
if (input.killAt?.method === 'token') killAtTokenRequest(child.cloud.tokens, input.killAt, () => currentStep);
const engine = new MigrationEngine(
  input.killAt === undefined || input.killAt.method === 'token'
    ? child.deps
    : killingDeps(child.deps, input.killAt, () => currentStep),
);
const run = {
  onEvent: (e: { step: string; event: string }) => {
    if (e.event === 'started') currentStep = e.step;
    if (e.step === input.killAfter && e.event === (input.killOn ?? 'completed'))
      process.kill(process.pid, 'SIGKILL');
  },
};
const outcome =
  input.operation !== undefined
    ? await startOperation(engine, input.operation, run)
    : input.updateAddressTo === undefined
      ? await engine.migrate(input.address, { nonSyncOu: input.nonSyncOu }, run)
      : await engine.updateHybridAddress(input.address, input.updateAddressTo, undefined, run);
process.stdout.write(`${JSON.stringify(outcome)}\n`);
await child.close();
