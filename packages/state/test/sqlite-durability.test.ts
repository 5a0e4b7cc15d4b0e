// The SQLite driver's group commit (src/wal-sync.ts): a write resolves only after a sync of the WAL that started once
// it had committed, a read needs none, and the next call does not wait for another call's sync.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import type { Driver } from '../src/driver.js';
import { openSqliteDriver } from '../src/sqlite-driver.js';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the SQLite driver makes every write durable before it resolves', () => {
  const folders: string[] = [];
  let driver: Driver | undefined;
  afterEach(async () => {
    await driver?.close();
    driver = undefined;
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  /** A driver whose WAL syncs the test finishes by hand. */
  function openWithManualSync() {
    const folder = mkdtempSync(join(tmpdir(), 'dlmigrate-wal-'));
    folders.push(folder);
    const file = join(folder, 'store.db');
    const syncs: Array<{ path: string; finish: () => void }> = [];
    driver = openSqliteDriver(file, {
      syncFile: (path) => new Promise<void>((finish) => syncs.push({ path, finish })),
    });
    return { file, syncs, driver };
  }

  it('resolves a transaction, an INSERT … RETURNING and a plain write only after their WAL sync', async () => {
    const { file, syncs, driver } = openWithManualSync();
    let created = false;
    const creating = driver.run('CREATE TABLE entries (n INTEGER)').then(() => (created = true));
    await settle();
    expect(created).toBe(false);
    expect(syncs.map((s) => s.path)).toEqual([`${file}-wal`]);
    syncs.shift()!.finish();
    await creating;

    const done: string[] = [];
    const writes = [
      driver
        .transaction(async (tx) => tx.run('INSERT INTO entries (n) VALUES (1)'))
        .then(() => done.push('transaction')),
      driver.query('INSERT INTO entries (n) VALUES (2) RETURNING n').then(() => done.push('returning')),
      driver.run('INSERT INTO entries (n) VALUES (3)').then(() => done.push('run')),
    ];
    await settle();
    // Committed, visible to the next call, but not acknowledged: the sync has not finished.
    expect(await driver.query('SELECT COUNT(*) AS n FROM entries')).toEqual([{ n: 3 }]);
    expect(done).toEqual([]);
    // The first commit started a sync; the two after it wait for one more, shared.
    expect(syncs).toHaveLength(1);
    syncs.shift()!.finish();
    await settle();
    expect(done).toEqual(['transaction']);
    expect(syncs).toHaveLength(1);
    syncs.shift()!.finish();
    await Promise.all(writes);
    expect(done.sort()).toEqual(['returning', 'run', 'transaction']);
    expect(syncs).toHaveLength(0);
  });

  it('does not sync for reads or for a transaction that rolled back', async () => {
    const { syncs, driver } = openWithManualSync();
    const creating = driver.run('CREATE TABLE entries (n INTEGER)');
    await settle();
    syncs.shift()!.finish();
    await creating;
    expect(await driver.query('SELECT n FROM entries')).toEqual([]);
    await expect(
      driver.transaction(async (tx) => {
        await tx.run('INSERT INTO entries (n) VALUES (1)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await driver.query('SELECT n FROM entries')).toEqual([]);
    expect(syncs).toHaveLength(0);
  });
});
