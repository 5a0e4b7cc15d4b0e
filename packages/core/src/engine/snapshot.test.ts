import { openStateStore, type JsonObject, type StateStore } from '@dlmigrate/state';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OPTIONS } from '../options.js';
import {
  captureOnce,
  loadSnapshot,
  rememberCapture,
  SNAPSHOT_KINDS,
  type CapturedParts,
} from './snapshot.js';
import { mailbox, snapshot } from './snapshot.test-support.js';

describe('the snapshot capture hands over', () => {
  let path: string;
  let state: StateStore;
  beforeAll(async () => {
    path = join(mkdtempSync(join(tmpdir(), 'dlmigrate-snapshot-')), 'state.db');
    state = await openStateStore(path);
  });
  afterAll(async () => state.close());

  const create = () =>
    state.createMigration({
      group: { address: `g${Math.random().toString(36).slice(2)}@contoso.com` },
      strategy: 'recreate',
      options: JSON.parse(JSON.stringify(DEFAULT_OPTIONS)) as JsonObject,
      status: 'running',
    });

  /** Every part stored the way capture stores it, and what captureOnce gave back for each. */
  async function capture(id: string, written: Record<string, unknown>): Promise<CapturedParts> {
    const parts: Record<string, unknown> = {};
    for (const [part, kind] of Object.entries(SNAPSHOT_KINDS))
      parts[part] = await captureOnce(state, id, kind, () => Promise.resolve(written[part]));
    return parts as CapturedParts;
  }

  it('is the snapshot a read of the store gives, in this process and in another', async () => {
    const written = snapshot({
      recipients: [mailbox('Ann Lee', 'a1'), mailbox('Bob Roe', 'b2', { displayName: 'Bob' })],
      missing: ['CN=Gone,DC=lab,DC=test'],
    });
    const migration = await create();
    rememberCapture(state, migration.id, await capture(migration.id, written));
    const reads = vi.spyOn(state, 'getBackup');
    const handedOver = await loadSnapshot(state, migration.id);
    // Not read and parsed again.
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    expect(handedOver).toEqual(written);
    // Kept for the run's later steps like a snapshot read from the store.
    expect(await loadSnapshot(state, migration.id)).toBe(handedOver);
    // Another process (another store object on the same file) reads the same snapshot from what was stored.
    const other = await openStateStore(path);
    try {
      expect(await loadSnapshot(other, migration.id)).toEqual(handedOver);
    } finally {
      await other.close();
    }
  });

  it('is checked by the snapshot schema when it is loaded, as a read of the store is', async () => {
    const migration = await create();
    const parts = await capture(migration.id, snapshot());
    rememberCapture(state, migration.id, { ...parts, cloudLookup: { found: 'everything', missing: [] } });
    await expect(loadSnapshot(state, migration.id)).rejects.toMatchObject({
      code: 'STORED_DOCUMENT_INVALID',
    });
  });
});
