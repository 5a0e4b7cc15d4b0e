// The simulated tenant as a separate process, so it outlives `dlmigrate lab up` and is stopped by
// `lab down` through the PID it recorded. Readiness is the state file the server writes once it
// listens (never a sleep); stopping verifies that the PID still belongs to that server before signalling.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CloudSimState {
  readonly url: string;
  readonly caPem: string;
  readonly pid: number;
  readonly tenants: readonly { id: string; name: string }[];
}

export interface CloudSimFiles {
  readonly setupFile: string;
  readonly stateFile: string;
  readonly logFile: string;
}

/** How to run the simulator's standalone server: built JavaScript, or TypeScript sources through tsx in development. */
function serverCommand(): string[] {
  const entry = fileURLToPath(import.meta.resolve('@dlmigrate/cloud-sim'));
  if (entry.endsWith('.ts')) {
    return ['--import', 'tsx', '--conditions=dlmigrate-source', join(dirname(entry), 'server.ts')];
  }
  return [join(dirname(entry), 'server.js')];
}

export async function startCloudSim(files: CloudSimFiles, timeoutMs = 60_000): Promise<CloudSimState> {
  rmSync(files.stateFile, { force: true });
  const log = openSync(files.logFile, 'a', 0o600);
  const child = spawn(
    process.execPath,
    [
      ...serverCommand(),
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--state-file',
      files.stateFile,
      '--setup',
      files.setupFile,
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = readState(files.stateFile);
    if (state !== undefined) return state;
    if (exited !== undefined) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (exited === undefined && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  const tail = existsSync(files.logFile)
    ? readFileSync(files.logFile, 'utf8').trim().split('\n').slice(-5).join('\n')
    : '';
  throw new Error(
    `the cloud simulator did not start${exited !== undefined ? ` (exit code ${exited})` : ' in time'}: ${tail}`,
  );
}

export function readState(stateFile: string): CloudSimState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as CloudSimState;
  } catch {
    return undefined;
  }
}

/**
 * Stops the simulator recorded in the state file. Returns the PID stopped, or undefined when none was
 * running. A stale state file (process gone, or the PID reused by something else) is removed, nothing is killed.
 */
export async function stopCloudSim(stateFile: string, timeoutMs = 10_000): Promise<number | undefined> {
  const state = readState(stateFile);
  if (state === undefined) return undefined;
  if (!isOurServer(state.pid, stateFile)) {
    rmSync(stateFile, { force: true });
    return undefined;
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isAlive(state.pid)) await new Promise((resolve) => setTimeout(resolve, 50));
  if (isAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
  rmSync(stateFile, { force: true });
  return state.pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The PID must still be the server started with this state file (PIDs are reused). */
function isOurServer(pid: number, stateFile: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(stateFile);
  } catch {
    return false;
  }
}

/** One sync cycle through the control plane (what the `http` sync trigger does). */
export function runSyncCycle(
  state: CloudSimState,
): Promise<{ status: string; added: unknown[]; errors: unknown[] }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${state.url}/_sim/sync/run`,
      { method: 'POST', ca: state.caPem, headers: { 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`sync run answered ${res.statusCode}: ${body}`));
          else resolve(JSON.parse(body) as { status: string; added: unknown[]; errors: unknown[] });
        });
      },
    );
    req.once('error', reject);
    req.end('{}');
  });
}
