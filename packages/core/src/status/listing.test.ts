import { openStateStore, type StateStore } from '@dlmigrate/state';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchStatus, listMigrationStatus, migrationStatus, migrationStatusMark } from './listing.js';

describe('what status lists, from a real SQLite store', () => {
  let state: StateStore;
  let alone: string;
  beforeAll(async () => {
    state = await openStateStore(join(mkdtempSync(join(tmpdir(), 'dlmigrate-status-')), 'state.db'));
    await state.createBatch({
      id: 'wave-1',
      input: {},
      levels: [
        [
          { group: { address: 'child@contoso.com' }, strategy: 'recreate' },
          { group: { address: 'done@contoso.com' }, strategy: 'recreate', status: 'completed' },
        ],
        [{ group: { address: 'parent@contoso.com' }, strategy: 'convert' }],
      ],
    });
    alone = (await state.createMigration({ group: { address: 'alone@contoso.com' }, strategy: 'recreate' }))
      .id;
    await state.appendJournal(alone, { step: 'capture', event: 'started', data: {} });
    await state.addFindings(alone, [
      { code: 'FALLBACK_OWNER_ADDED', severity: 'info', subject: 'owner@contoso.com', message: 'no owner' },
    ]);
  });
  afterAll(async () => state.close());

  it('lists every migration, or a batch’s; no batch of that id is null', async () => {
    expect((await listMigrationStatus(state))?.map((m) => m.group.address).sort()).toEqual([
      'alone@contoso.com',
      'child@contoso.com',
      'done@contoso.com',
      'parent@contoso.com',
    ]);
    expect((await listMigrationStatus(state, 'wave-1'))?.map((m) => m.batchId)).toEqual([
      'wave-1',
      'wave-1',
      'wave-1',
    ]);
    expect(await listMigrationStatus(state, 'no-such-batch')).toBeNull();
  });

  it('shows one migration with its journal and findings; an unknown id is null', async () => {
    const detail = await migrationStatus(state, alone);
    expect(detail?.migration.group.address).toBe('alone@contoso.com');
    expect(detail?.journal.map((e) => `${e.step} ${e.event}`)).toEqual(['capture started']);
    expect(detail?.findings.map((f) => f.code)).toEqual(['FALLBACK_OWNER_ADDED']);
    expect(await migrationStatus(state, 'no-such-id')).toBeNull();
  });

  it('shows a batch level by level, counting only the statuses its groups have', async () => {
    const batch = await batchStatus(state, 'wave-1');
    expect(batch).toMatchObject({ batchId: 'wave-1', groupCount: 3 });
    expect(batch?.levels.map((l) => [l.level, l.total, l.byStatus])).toEqual([
      [0, 2, { planned: 1, completed: 1 }],
      [1, 1, { planned: 1 }],
    ]);
    expect(batch?.levels[1]?.groups).toEqual([
      {
        migrationId: expect.any(String),
        address: 'parent@contoso.com',
        status: 'planned',
        currentStep: null,
      },
    ]);
    expect(await batchStatus(state, 'no-such-batch')).toBeNull();
  });
});

describe("a migration's mark (status, batch progress, report)", () => {
  it('marks completed ok, warnings warn, every final status that is not a success fail, open ones info', () => {
    expect(
      (
        [
          'completed',
          'completed_with_warnings',
          'rolled_back',
          'failed',
          'blocked',
          'undo_failed',
          'planned',
          'running',
          'parked',
        ] as const
      ).map(migrationStatusMark),
    ).toEqual(['ok', 'warn', 'fail', 'fail', 'fail', 'fail', 'info', 'info', 'info']);
  });
});
