import { openStateStore, type JsonObject, type StateStore } from '@dlmigrate/state';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutOf } from '../batch/plan.js';
import { readReport } from '../engine/report.js';
import { loadSnapshot, SNAPSHOT_KINDS } from '../engine/snapshot.js';
import { runningMigration, snapshot } from '../engine/snapshot.test-support.js';
import { isCoreError } from '../errors/core-error.js';
import { DEFAULT_OPTIONS, parseStoredOptions } from '../options.js';

function rejection(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('stored options', () => {
  it('read back as written', () => {
    const written = {
      ...DEFAULT_OPTIONS,
      nonSyncOu: 'OU=Parked,DC=lab,DC=test',
      fallbackOwner: 'owner@contoso.com',
      groupTypeOverride: 'Security' as const,
    };
    expect(parseStoredOptions(JSON.parse(JSON.stringify(written)), 'options')).toEqual(written);
  });

  it('get the defaults for fields a store written by an older dlmigrate lacks', () => {
    const { entraReferences: _e, deadlines, ...older } = DEFAULT_OPTIONS;
    const parsed = parseStoredOptions(
      { ...older, deadlines: { cloudDeletionMinutes: 5, takeOverMinutes: 7 } },
      'options',
    );
    expect(parsed.entraReferences).toBe(DEFAULT_OPTIONS.entraReferences);
    expect(parsed.deadlines).toEqual({ ...deadlines, cloudDeletionMinutes: 5, takeOverMinutes: 7 });
  });

  it('that do not fit are STORED_DOCUMENT_INVALID, naming the record and the field', () => {
    const error = rejection(() =>
      parseStoredOptions({ ...DEFAULT_OPTIONS, routingContact: 'yes' }, 'the options of migration m1'),
    );
    expect(isCoreError(error, 'STORED_DOCUMENT_INVALID')).toBe(true);
    expect((error as Error).message).toContain('the options of migration m1');
    expect((error as Error).message).toContain('routingContact');
  });
});

describe('stored batch layout', () => {
  const batch = (layout: unknown) =>
    ({ id: 'b1', input: { layout } }) as unknown as Parameters<typeof layoutOf>[0];

  it('reads back a planned layout', () => {
    const layout = {
      waves: [['a@contoso.com']],
      depth: { 'a@contoso.com': 0 },
      children: { 'a@contoso.com': [] },
      blocked: {},
    };
    expect(layoutOf(batch(layout))).toEqual(layout);
  });

  it('refuses a layout whose blocked group carries an unknown finding code', () => {
    const error = rejection(() =>
      layoutOf(
        batch({
          waves: [],
          depth: {},
          children: {},
          blocked: {
            'a@contoso.com': {
              code: 'NO_SUCH_CODE',
              severity: 'blocking',
              subject: 'a',
              message: 'm',
              action: 'x',
            },
          },
        }),
      ),
    );
    expect(isCoreError(error, 'STORED_DOCUMENT_INVALID')).toBe(true);
  });
});

describe('stored report', () => {
  let state: StateStore;
  beforeAll(async () => {
    state = await openStateStore(join(mkdtempSync(join(tmpdir(), 'dlmigrate-stored-')), 'state.db'));
  });
  afterAll(async () => state.close());

  it('is parsed when read from a real store; a damaged one is STORED_DOCUMENT_INVALID', async () => {
    const migration = await state.createMigration({
      group: { address: 'sales@contoso.com' },
      strategy: 'recreate',
      options: JSON.parse(JSON.stringify(DEFAULT_OPTIONS)) as JsonObject,
      status: 'running',
    });
    expect(await readReport(state, migration.id)).toBeNull();
    await state.putReport(migration.id, { kind: 'migration', id: migration.id, steps: 'all' });
    await expect(readReport(state, migration.id)).rejects.toMatchObject({ code: 'STORED_DOCUMENT_INVALID' });
  });

  it('gives the snapshot back part by part, keeping fields it does not list; a damaged part stops the load', async () => {
    const put = async (id: string, parts: Record<string, unknown>) => {
      for (const [part, kind] of Object.entries(SNAPSHOT_KINDS))
        await state.putBackup(id, kind, JSON.parse(JSON.stringify(parts[part])) as JsonObject);
    };
    const written = snapshot();
    const good = await runningMigration(state);
    await put(good.id, { ...written, tenant: { ...written.tenant, laterField: 'kept' } });
    const loaded = await loadSnapshot(state, good.id);
    // Every value as written (equal strings are shared once read, engine/snapshot.ts shareStrings).
    expect(loaded).toEqual({ ...written, tenant: { ...written.tenant, laterField: 'kept' } });
    const damaged = await runningMigration(state);
    await put(damaged.id, { ...written, cloudLookup: { found: 'everything', missing: [] } });
    await expect(loadSnapshot(state, damaged.id)).rejects.toMatchObject({ code: 'STORED_DOCUMENT_INVALID' });
  });
});
