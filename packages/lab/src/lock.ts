// A cross-process file lock: the lock file is created with O_EXCL and holds the owner's pid.
// A lock whose owner is dead (a crashed test run) is taken over. Within one process, callers of
// the same lock are queued, because the pid check cannot tell them apart.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from './local.js';

const inProcess = new Map<string, Promise<unknown>>();

export interface LockOptions {
  /** Give up after this long (default 15 minutes: a first install + provision + seed can take a while). */
  timeoutMs?: number;
  /** Called once when the lock is busy, so a caller can say what it is waiting for. */
  onWait?: (ownerPid: number) => void;
}

export async function withLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const previous = inProcess.get(lockPath) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => withFileLock(lockPath, fn, options));
  const tail = run.catch(() => undefined);
  inProcess.set(lockPath, tail);
  try {
    return await run;
  } finally {
    if (inProcess.get(lockPath) === tail) inProcess.delete(lockPath);
  }
}

async function readOwner(lockPath: string): Promise<number | null> {
  try {
    const pid = Number.parseInt(await fs.readFile(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  await fs.mkdir(path.dirname(lockPath), { recursive: true });
  let told = false;
  for (;;) {
    try {
      await fs.writeFile(lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await readOwner(lockPath);
    if (owner !== null && !isAlive(owner)) {
      // Take over a dead owner's lock by renaming it away (atomic), then check that what we moved
      // really was the dead owner's file and not a lock someone created a moment ago.
      const stolen = `${lockPath}.stale-${process.pid}`;
      try {
        await fs.rename(lockPath, stolen);
        const movedOwner = await readOwner(stolen);
        if (movedOwner !== owner) await fs.link(stolen, lockPath).catch(() => undefined);
        await fs.rm(stolen, { force: true });
      } catch {
        // someone else got there first; try again
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for the lock ${lockPath} (held by pid ${owner ?? 'unknown'})`);
    }
    if (!told && owner !== null) {
      told = true;
      options.onWait?.(owner);
    }
    await sleep(200);
  }
}

async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions): Promise<T> {
  await acquire(lockPath, options);
  try {
    return await fn();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}
