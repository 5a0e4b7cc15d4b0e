// Group commit for the SQLite store (sqlite-driver.ts). better-sqlite3 is synchronous: with `synchronous = FULL` every
// COMMIT called fsync on the WAL inside the call, so each write of any group stopped the whole runner process — every
// other group's HTTP calls, timers and store calls — for the length of an fsync (3.5 ms on an idle disk, more under
// load), one write after another. In a batch wave hundreds of groups start their take-over at once, and a group's
// ten or so store calls between its deletion and its take-over each waited behind that queue (issue 15: p50 17 s
// from deletion to take-over at 200 groups, most of it waiting on the store).
// The driver now commits with `synchronous = NORMAL` (the WAL is written, not synced) and then waits here for an
// fdatasync of the WAL file run on libuv's thread pool, off the event loop; one fdatasync covers every commit made
// before it started, so commits that arrive together share it. A write's promise still resolves only once its commit
// is on disk: durability is what FULL gave, against power loss as well as a process crash, which the saga's
// journal-before-change rule needs (saga/runner.ts writes "started" before a step changes anything).
import { open } from 'node:fs/promises';

/** Makes the file's written data durable (fdatasync). */
export type SyncFile = (path: string) => Promise<void>;

/** fdatasync of `path` on the thread pool; a file that is gone (the last connection checkpointed it away) needs none. */
export const fdatasyncFile: SyncFile = async (path) => {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return;
    throw error;
  }
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
};

/**
 * Shares syncs of one file between the commits that wait for one. `afterCommit()` resolves once a sync that started
 * after the call has finished — one already running may have missed the commit — and every call made while a sync
 * runs waits for the same next one, so N commits cost at most two syncs, not N.
 */
export class GroupSync {
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  constructor(private readonly sync: () => Promise<void>) {}

  afterCommit(): Promise<void> {
    if (this.#running === undefined) return this.#start();
    this.#next ??= this.#running.then(
      () => this.#startNext(),
      () => this.#startNext(),
    );
    return this.#next;
  }

  #startNext(): Promise<void> {
    this.#next = undefined;
    return this.#start();
  }

  #start(): Promise<void> {
    const running = this.sync().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }
}
