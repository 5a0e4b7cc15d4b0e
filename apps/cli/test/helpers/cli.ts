// Runs the built `dlmigrate` binary as a child process, the way an administrator or a scheduler does.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'bin.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The signal that ended the process, when it did not exit by itself (null otherwise). */
  readonly signal: NodeJS.Signals | null;
}

export interface CliOptions {
  readonly cwd: string;
  /** Added to a minimal environment (PATH and HOME only), so the developer's DLMIGRATE_* never leak in. */
  readonly env?: Record<string, string>;
}

export function dlmigrate(args: readonly string[], options: CliOptions): Promise<CliRun> {
  return runProgram(process.execPath, [BIN, ...args], options);
}

/** When to interrupt a run: the first time `when` matches everything `stream` has printed so far. */
export interface Interruption {
  readonly stream: 'stdout' | 'stderr';
  readonly when: RegExp;
  readonly signal: NodeJS.Signals;
}

/**
 * The built binary sent one signal at a chosen point of its output — an administrator's Ctrl-C (SIGINT), a
 * service manager's SIGTERM, or a crash (SIGKILL) — for the tests that stop a command and continue it.
 */
export function dlmigrateInterrupted(
  args: readonly string[],
  options: CliOptions,
  interruption: Interruption,
): Promise<CliRun> {
  return runProgram(process.execPath, [BIN, ...args], options, interruption);
}

/** Any program (e.g. an installed `dlmigrate`) run the same way: minimal environment, output collected. */
export function runProgram(
  program: string,
  args: readonly string[],
  options: CliOptions,
  interruption?: Interruption,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...args], {
      cwd: options.cwd,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: options.cwd, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const printed = { stdout: '', stderr: '' };
    let sent = false;
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8').on('data', (chunk: string) => {
        printed[stream] += chunk;
        if (interruption?.stream === stream && !sent && interruption.when.test(printed[stream])) {
          sent = true;
          child.kill(interruption.signal);
        }
      });
    }
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, ...printed }));
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `dlmigrate-cli-${prefix}-`));
}
