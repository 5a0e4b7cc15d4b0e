import type {
  BatchRecord,
  FindingRecord,
  JournalEntry,
  JsonObject,
  MigrationRecord,
  MigrationStatus,
} from '@dlmigrate/state';
import { describe, expect, it } from 'vitest';
import { actionFor } from '../findings/catalogue.js';
import { outageWindow } from './outage.js';
import { buildProject } from './project.js';
import type { ProjectMigrationRecords } from './records.js';

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 11, 1, 9, minute, second)).toISOString();

function migration(
  id: string,
  address: string,
  status: MigrationStatus,
  batch: { id: string; level: number } | null = null,
  strategy: 'recreate' | 'convert' = 'recreate',
): MigrationRecord {
  return {
    id,
    group: { address, objectGuid: null },
    strategy,
    options: {},
    status,
    currentStep: null,
    lease: null,
    batchId: batch?.id ?? null,
    batchLevel: batch?.level ?? null,
    createdAt: at(0),
    updatedAt: at(0),
  };
}

/** Journal entries in order: [step, event, minute, result?]. */
function journal(
  migrationId: string,
  entries: readonly [string, JournalEntry['event'], number, JsonObject?][],
): JournalEntry[] {
  return entries.map(([step, event, minute, result], i) => ({
    migrationId,
    seq: i + 1,
    step,
    event,
    data: (result === undefined ? {} : { result }) as JsonObject,
    at: at(minute),
  }));
}

function finding(
  migrationId: string,
  seq: number,
  code: string,
  severity: FindingRecord['severity'],
  subject = 'x@contoso.com',
): FindingRecord {
  return {
    migrationId,
    seq,
    code,
    severity,
    message: `${code} happened`,
    attribute: null,
    subject,
    step: 'validate',
    at: at(1),
  };
}

const ran = (id: string, park: number, takeOver: number, extra: JsonObject = {}) =>
  journal(id, [
    ['capture', 'completed', park - 1],
    ['park', 'completed', park],
    ['await-deletion', 'started', park],
    ['await-deletion', 'completed', takeOver - 1],
    ['take-over', 'completed', takeOver, extra],
    ['report', 'completed', takeOver + 1],
  ]);

function batch(id: string, levels: { level: number; data: JsonObject; phase?: string }[]): BatchRecord {
  return {
    id,
    input: {},
    status: 'completed_with_failures',
    createdAt: at(0),
    updatedAt: at(30),
    levels: levels.map((l) => ({
      batchId: id,
      level: l.level,
      phase: l.phase ?? 'done',
      syncCoordinator: null,
      data: l.data,
      updatedAt: at(30),
    })),
  };
}

const records = (
  m: MigrationRecord,
  j: JournalEntry[] = [],
  findings: FindingRecord[] = [],
  report: JsonObject | null = null,
): ProjectMigrationRecords => ({ migration: m, journal: j, findings, report });

describe('buildProject', () => {
  const wave = { id: 'wave-1', level: 0 };
  const wave1 = { id: 'wave-1', level: 1 };
  const project = buildProject({
    batches: [
      batch('wave-1', [
        { level: 0, data: { syncTriggeredAt: at(4), deleted: ['a', 'b'], notDeleted: [] } },
        { level: 1, data: {} },
      ]),
    ],
    migrations: [
      records(migration('b', 'b@contoso.com', 'completed', wave), ran('b', 3, 8), [], {
        group: { address: 'b@contoso.com', displayName: 'Bee <team>' },
      }),
      records(
        migration('a', 'a@contoso.com', 'completed_with_warnings', wave),
        ran('a', 2, 6, { convergedAt: at(6, 30) }),
        [finding('a', 1, 'CLOUD_REWIRE_FAILED', 'needs-action'), finding('a', 2, 'RETENTION_FORCED', 'info')],
        { group: { address: 'a@contoso.com' } },
      ),
      records(
        migration('p', 'parent@contoso.com', 'blocked', wave1),
        journal('p', [['batch', 'failed', 12]]),
        [finding('p', 1, 'CHILD_GROUP_MIGRATION_EXCEPTION', 'blocking')],
      ),
      records(
        migration('s', 'solo@contoso.com', 'blocked'),
        journal('s', [
          ['capture', 'completed', 20],
          ['validate', 'failed', 21],
        ]),
        [
          finding('s', 1, 'CLOUD_REWIRE_FAILED', 'needs-action'),
          finding('s', 2, 'CLOUD_REWIRE_FAILED', 'needs-action'),
          finding('s', 3, 'SOMETHING_NEW', 'blocking'),
          finding('s', 4, 'GROUP_NOT_FOUND', 'blocking'),
        ],
      ),
      records(migration('c', 'convert@contoso.com', 'completed', null, 'convert'), ran('c', 22, 25)),
      records(migration('n', 'new@contoso.com', 'planned')),
    ],
  });

  it('totals the migrations by status and the findings by severity', () => {
    expect(project.totals.migrations).toBe(6);
    expect(project.totals.batches).toBe(1);
    expect(project.totals.byStatus).toEqual({
      planned: 1,
      running: 0,
      parked: 0,
      completed: 2,
      completed_with_warnings: 1,
      failed: 0,
      rolled_back: 0,
      blocked: 2,
      undo_failed: 0,
    });
    expect(project.totals.findings).toEqual({ blocking: 3, 'needs-action': 3, info: 1 });
    expect(project.span).toEqual({ start: at(1), end: at(26) });
  });

  it('lists batch migrations by batch, level and address, then the single ones by start', () => {
    expect(project.migrations.map((m) => m.id)).toEqual(['a', 'b', 'p', 'n', 's', 'c']);
    const a = project.migrations[0]!;
    expect(a).toMatchObject({
      address: 'a@contoso.com',
      batchId: 'wave-1',
      level: 0,
      startedAt: at(1),
      finishedAt: at(7),
      findings: { blocking: 0, 'needs-action': 1, info: 1 },
      codes: ['CLOUD_REWIRE_FAILED'],
      hasReport: true,
    });
    expect(a.displayName).toBeUndefined();
    expect(project.migrations[1]!.displayName).toBe('Bee <team>');
    const planned = project.migrations.find((m) => m.id === 'n')!;
    expect(planned).toMatchObject({ startedAt: at(0), hasReport: false, outage: null });
    expect(planned.finishedAt).toBeUndefined();
  });

  it('gives each batch its counts and each level its span, sync and deletions', () => {
    const [b] = project.batches;
    expect(b).toMatchObject({ id: 'wave-1', status: 'completed_with_failures', groups: 3 });
    expect(b!.byStatus.completed).toBe(1);
    expect(b!.byStatus.blocked).toBe(1);
    expect(b!.levels).toEqual([
      expect.objectContaining({
        level: 0,
        groups: 2,
        start: at(1),
        end: at(9),
        syncTriggeredAt: at(4),
        deleted: 2,
        notDeleted: 0,
      }),
      expect.objectContaining({ level: 1, groups: 1, start: at(12), end: at(12) }),
    ]);
    expect(b!.levels[1]!.syncTriggeredAt).toBeUndefined();
  });

  it('draws the timeline from levels and single migrations, with their syncs, in time order', () => {
    expect(
      project.timeline.map((l) => [l.label, l.start, l.end, l.syncs.map((s) => `${s.source} ${s.at}`)]),
    ).toEqual([
      ['wave-1 · level 0', at(1), at(9), [`recorded ${at(4)}`]],
      ['wave-1 · level 1', at(12), at(12), []],
      ['solo@contoso.com', at(20), at(21), []],
      ['convert@contoso.com', at(21), at(26), [`derived ${at(22)}`]],
    ]);
  });

  it('groups findings by code, most severe and most frequent first, with the catalogue action', () => {
    expect(project.findings.map((f) => [f.code, f.severity, f.count, f.migrations])).toEqual([
      ['CHILD_GROUP_MIGRATION_EXCEPTION', 'blocking', 1, 1],
      ['GROUP_NOT_FOUND', 'blocking', 1, 1],
      ['SOMETHING_NEW', 'blocking', 1, 1],
      ['CLOUD_REWIRE_FAILED', 'needs-action', 3, 2],
      ['RETENTION_FORCED', 'info', 1, 1],
    ]);
    const rewire = project.findings.find((f) => f.code === 'CLOUD_REWIRE_FAILED')!;
    expect(rewire.action).toBe(actionFor('CLOUD_REWIRE_FAILED'));
    expect(rewire.example).toEqual({
      migrationId: 'a',
      subject: 'x@contoso.com',
      message: 'CLOUD_REWIRE_FAILED happened',
    });
    expect(project.findings.find((f) => f.code === 'SOMETHING_NEW')!.action).toContain(
      'Not in the findings catalogue',
    );
  });

  it('counts outage windows and the longest finished one', () => {
    expect(project.totals.outages).toBe(2);
    // a: park 09:02 → converged 09:06:30 (derived start, recorded end); b: 09:03 → 09:08.
    expect(project.totals.longestOutageMs).toBe(5 * 60_000);
  });

  it('is empty for an empty store', () => {
    const empty = buildProject({ batches: [], migrations: [] });
    expect(empty.totals.migrations).toBe(0);
    expect(empty.span).toBeNull();
    expect(empty.timeline).toEqual([]);
    expect(empty.findings).toEqual([]);
    expect(empty.totals.longestOutageMs).toBeNull();
  });
});

describe('outageWindow', () => {
  const recreate = (status: MigrationStatus) => ({ strategy: 'recreate' as const, status });

  it('uses the recorded deletion and convergence times when the steps stored them', () => {
    const j = journal('m', [
      ['park', 'completed', 2],
      ['await-deletion', 'completed', 5, { goneAt: at(4, 10), lastPresentAt: at(4, 5) }],
      ['take-over', 'completed', 7, { convergedAt: at(6, 40) }],
    ]);
    expect(outageWindow(recreate('completed'), j)).toEqual({
      start: at(4, 10),
      end: at(6, 40),
      durationMs: 150_000,
      source: 'recorded',
      basis: 'deletion first seen → take-over converged',
      ongoing: false,
      lastPresentAt: at(4, 5),
    });
  });

  it('derives the window from park and take-over when nothing was recorded', () => {
    const j = journal('m', [
      ['park', 'completed', 2],
      ['take-over', 'completed', 7],
    ]);
    expect(outageWindow(recreate('completed'), j)).toMatchObject({
      start: at(2),
      end: at(7),
      durationMs: 300_000,
      source: 'derived',
      basis: 'park completed → take-over completed',
    });
  });

  it('ends a rolled-back group at the undo of park, and leaves a parked one open', () => {
    const rolledBack = journal('m', [
      ['park', 'completed', 2],
      ['await-deletion', 'failed', 9],
      ['park', 'undone', 10],
    ]);
    expect(outageWindow(recreate('rolled_back'), rolledBack)).toMatchObject({
      end: at(10),
      ongoing: false,
      basis: 'park completed → park undone (rolled back)',
    });
    const parked = journal('m', [['park', 'completed', 2]]);
    expect(outageWindow(recreate('parked'), parked)).toMatchObject({
      start: at(2),
      end: null,
      durationMs: null,
      ongoing: true,
    });
  });

  it('has none for a group that never parked or was converted in place', () => {
    expect(outageWindow(recreate('blocked'), journal('m', [['validate', 'failed', 1]]))).toBeNull();
    expect(
      outageWindow({ strategy: 'convert', status: 'completed' }, journal('m', [['park', 'completed', 2]])),
    ).toBeNull();
  });
});
