// The instance lock across real processes: mutual exclusion, queueing inside one process, and
// taking over the lock of a process that died holding it.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLock } from '../src/lock.js';

const WORKER = fileURLToPath(new URL('./helpers/lock-worker.ts', import.meta.url));
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lab-lock-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Every `enter` must be followed by the same process's `leave` before anyone else enters. */
function assertNoOverlap(lines: string[]): void {
  for (let i = 0; i < lines.length; i += 2) {
    const [enter, leave] = [lines[i], lines[i + 1]];
    expect(enter?.startsWith('enter ')).toBe(true);
    expect(leave).toBe(enter?.replace('enter', 'leave'));
  }
}

describe('withLock', () => {
  it('lets one process at a time in', async () => {
    const lock = path.join(dir, 'x.lock');
    const log = path.join(dir, 'log');
    writeFileSync(log, '');
    const run = promisify(execFile);
    await Promise.all(
      Array.from({ length: 4 }, () =>
        run(process.execPath, ['--import', 'tsx', '--conditions=dlmigrate-source', WORKER, lock, log, '3']),
      ),
    );
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4 * 3 * 2);
    expect(new Set(lines.map((l) => l.split(' ')[1])).size).toBe(4);
    assertNoOverlap(lines);
    expect(existsSync(lock)).toBe(false);
  }, 120_000);

  it('queues callers inside one process, and releases on failure', async () => {
    const lock = path.join(dir, 'y.lock');
    const lines: string[] = [];
    const task = (n: number, fail = false) =>
      withLock(lock, async () => {
        lines.push(`enter ${n}`);
        await new Promise((r) => setTimeout(r, 5));
        lines.push(`leave ${n}`);
        if (fail) throw new Error(`task ${n} failed`);
        return n;
      });
    const results = await Promise.allSettled([task(1), task(2, true), task(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    assertNoOverlap(lines);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over the lock of a process that died holding it', async () => {
    const lock = path.join(dir, 'z.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(lock, `${dead.stdout}\n`);
    await expect(withLock(lock, async () => 'got it', { timeoutMs: 10_000 })).resolves.toBe('got it');
  });

  it('times out while a live process holds the lock', async () => {
    const lock = path.join(dir, 'w.lock');
    writeFileSync(lock, `${process.ppid}\n`); // the test runner's parent: alive for the whole test
    const waits: number[] = [];
    await expect(
      withLock(lock, async () => 'never', { timeoutMs: 300, onWait: (pid) => waits.push(pid) }),
    ).rejects.toThrow(new RegExp(`held by pid ${process.ppid}`));
    expect(waits).toEqual([process.ppid]);
  });
});
