// A Node script run as a process of its own whose stdout is watched line by line: what tests use to run a second store
// writer (state's test/children), or a second batch runner (the e2e package's test/src/batch-runner.ts), and to wait for
// a line it prints before they crash it or let it go on.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface WatchedProcess<T> {
  readonly process: ChildProcessWithoutNullStreams;
  /** Every stdout line read as an item so far (`parse` gave a value). */
  readonly items: T[];
  /** The last stdout line that was not an item (a closing "done …" line), if any. */
  lastOther(): string | undefined;
  /** Resolves with the first item (past or future) that satisfies the predicate; rejects if the process exits first. */
  waitFor(predicate: (item: T) => boolean): Promise<T>;
  /** Resolves with the exit code or signal. */
  readonly exited: Promise<number | NodeJS.Signals>;
  stderr(): string;
}

/** Runs `script` (TypeScript, through tsx, with the workspace's source condition) with `args`, watching its stdout. */
export function spawnWatched<T>(
  script: string,
  args: readonly string[],
  options: {
    /** Working directory of the process (where its package's tsx and source conditions resolve). */
    readonly cwd: string;
    /** Names the process in errors. */
    readonly label: string;
    /** A stdout line as an item, or undefined for a line that is not one. */
    readonly parse: (line: string) => T | undefined;
  },
): WatchedProcess<T> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=dlmigrate-source', script, ...args],
    {
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const items: T[] = [];
  let other: string | undefined;
  let stderr = '';
  const waiters: {
    predicate: (item: T) => boolean;
    resolve: (item: T) => void;
    reject: (error: Error) => void;
  }[] = [];
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const item = options.parse(line);
    if (item === undefined) {
      other = line;
      return;
    }
    items.push(item);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(item)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(item);
      }
    }
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const waiter of waiters.splice(0))
        waiter.reject(
          new Error(
            `${options.label} exited (${code ?? signal}) before the expected line; stderr:\n${stderr}`,
          ),
        );
      resolve(code ?? (signal as NodeJS.Signals));
    }),
  );
  return {
    process: child,
    items,
    exited,
    stderr: () => stderr,
    lastOther: () => other,
    waitFor: (predicate) => {
      const seen = items.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null)
        return Promise.reject(new Error(`${options.label} already exited; stderr:\n${stderr}`));
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
  };
}
