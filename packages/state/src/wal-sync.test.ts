import { describe, expect, it } from 'vitest';

import { GroupSync } from './wal-sync.js';

/** A sync the test finishes by hand, recording how many were started. */
function manualSync() {
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  let started = 0;
  const sync = () =>
    new Promise<void>((resolve, reject) => {
      started++;
      pending.push({ resolve, reject });
    });
  return {
    sync,
    started: () => started,
    finish: () => pending.shift()!.resolve(),
    fail: (error: Error) => pending.shift()!.reject(error),
  };
}

/** Lets every promise callback that is ready run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function watch(promise: Promise<void>) {
  const seen = { done: false, error: undefined as unknown };
  promise.then(
    () => (seen.done = true),
    (error: unknown) => (seen.error = error),
  );
  return seen;
}

describe('GroupSync (group commit of the SQLite WAL)', () => {
  it('starts a sync for a commit when none runs', async () => {
    const s = manualSync();
    const group = new GroupSync(s.sync);
    const first = watch(group.afterCommit());
    expect(s.started()).toBe(1);
    await settle();
    expect(first.done).toBe(false);
    s.finish();
    await settle();
    expect(first.done).toBe(true);
  });

  it('lets a commit made while a sync runs wait for the next sync, which every such commit shares', async () => {
    const s = manualSync();
    const group = new GroupSync(s.sync);
    const first = watch(group.afterCommit());
    // Committed while the first sync runs: that sync may have missed them.
    const later = Array.from({ length: 50 }, () => watch(group.afterCommit()));
    expect(s.started()).toBe(1);
    s.finish();
    await settle();
    expect(first.done).toBe(true);
    expect(later.some((w) => w.done)).toBe(false);
    expect(s.started()).toBe(2); // one more sync for all fifty
    s.finish();
    await settle();
    expect(later.every((w) => w.done)).toBe(true);
    expect(s.started()).toBe(2);
  });

  it('reports a failed sync to the commits that waited for it, and syncs anew for the next commit', async () => {
    const s = manualSync();
    const group = new GroupSync(s.sync);
    const first = watch(group.afterCommit());
    const second = watch(group.afterCommit());
    s.fail(new Error('EIO'));
    await settle();
    expect((first.error as Error).message).toBe('EIO');
    // The commit that waited for the next sync is not told it is durable because of the failed one.
    expect(second.done).toBe(false);
    s.finish();
    await settle();
    expect(second.done).toBe(true);
    const third = watch(group.afterCommit());
    expect(s.started()).toBe(3);
    s.finish();
    await settle();
    expect(third.done).toBe(true);
  });
});
