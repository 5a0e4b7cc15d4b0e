// Starts child-migrate.ts in its own Node process against the test's world and waits until it has killed itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KillAt } from './fault-matrix.js';
import type { Operation } from './fault-operations.js';
import type { World } from './world.js';

const CHILD = fileURLToPath(new URL('./child-migrate.ts', import.meta.url));

export interface ChildRun {
  readonly address: string;
  readonly killAfter: string;
  readonly killOn?: 'started' | 'completed';
  readonly updateAddressTo?: string;
  /** Kill at a dependency call instead of at a journal event (fault-matrix.ts). */
  readonly killAt?: KillAt;
  /** Run this operation of the fault matrix instead of a migration (fault-operations.ts). */
  readonly operation?: Operation;
}

/**
 * Runs child-migrate.ts with `input` until it dies of SIGKILL (resolves) or ends any other way (rejects with its
 * output). `whileRunning` gets the child to kill it from here; it returns what to clean up when the child ends.
 */
function runChildToItsKill(
  input: Record<string, unknown>,
  whileRunning: (child: ChildProcess) => () => void = () => () => {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=dlmigrate-source', CHILD], {
      env: { ...process.env, DLMIGRATE_CHILD: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const stop = whileRunning(child);
    child.on('error', (error) => {
      stop();
      reject(error);
    });
    child.on('exit', (code, signal) => {
      stop();
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child ended with ${code} before it was killed: ${output}`));
    });
  });
}

/** Resolves once the child died of SIGKILL; rejects if it ended any other way (with its stderr). */
export function runChildUntilKilled(world: World, run: ChildRun): Promise<void> {
  return runChildToItsKill({ ...world.childConfig, nonSyncOu: world.objects['ous.nonSync']!.dn, ...run });
}

/**
 * Starts the migration of `address` in a child process and kills it with SIGKILL from here the moment `killWhen`
 * (checked every `everyMs`) holds — a crash at a point no step boundary marks, e.g. in the middle of the additions.
 * Resolves once it died that way; rejects if it ended on its own first (with its output).
 */
export function runChildKilledWhen(
  world: World,
  address: string,
  killWhen: () => boolean,
  everyMs = 20,
): Promise<void> {
  const input = { ...world.childConfig, nonSyncOu: world.objects['ous.nonSync']!.dn, address };
  return runChildToItsKill(input, (child) => {
    const watch = setInterval(() => {
      if (killWhen()) child.kill('SIGKILL');
    }, everyMs);
    return () => clearInterval(watch);
  });
}
