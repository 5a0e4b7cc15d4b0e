// The project dashboard's model (issue 19, `dlmigrate report --all`): every batch and migration of a state store
// aggregated into what one page shows — totals by status, a timeline of the batch levels (one sync wave each) and of
// the single migrations with the syncs triggered, each group's outage window (outage.ts), and the findings by code
// with what to do (findings/catalogue.ts). Pure: it only reads the records loadProjectRecords (records.ts) gathered.
import {
  FINDING_SEVERITIES,
  MIGRATION_STATUSES,
  OPEN_STATUSES,
  type BatchStatus,
  type JournalEntry,
  type JsonObject,
  type MigrationStatus,
  type RecordKind,
  type Severity,
} from '@dlmigrate/state';
import { actionFor, isFindingCode } from '../findings/catalogue.js';
import { outageWindow, type GroupOutage } from './outage.js';
import type { ProjectMigrationRecords, ProjectRecords } from './records.js';

type StatusCounts = Readonly<Record<MigrationStatus, number>>;

export interface ProjectMigration {
  readonly id: string;
  readonly address: string;
  readonly displayName?: string;
  /** A migration's strategy, or address-update for an address update. */
  readonly strategy: RecordKind;
  readonly status: MigrationStatus;
  readonly currentStep: string | null;
  readonly batchId: string | null;
  readonly level: number | null;
  /** First journal entry (the migration's creation before any step ran). */
  readonly startedAt: string;
  /** Last journal entry, once the migration is in a final status. */
  readonly finishedAt?: string;
  readonly findings: Readonly<Record<Severity, number>>;
  /** Codes of its blocking and needs-action findings, each once. */
  readonly codes: readonly string[];
  readonly hasReport: boolean;
  readonly outage: GroupOutage | null;
}

export interface ProjectLevel {
  readonly level: number;
  readonly phase: string;
  readonly groups: number;
  readonly byStatus: StatusCounts;
  /** From the first to the last journal entry of its groups (null before any step ran). */
  readonly start: string | null;
  readonly end: string | null;
  readonly syncTriggeredAt?: string;
  /** Synced groups the level's deletion wait saw gone / still there at its end. */
  readonly deleted?: number;
  readonly notDeleted?: number;
}

export interface ProjectBatch {
  readonly id: string;
  readonly status: BatchStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly groups: number;
  readonly byStatus: StatusCounts;
  readonly levels: readonly ProjectLevel[];
}

/** One bar of the timeline: a batch level, or a migration run on its own. */
export interface TimelineLane {
  readonly label: string;
  readonly batchId: string | null;
  readonly level: number | null;
  readonly migrationId: string | null;
  readonly start: string;
  readonly end: string;
  readonly status: string;
  /** Syncs triggered for this lane: the level's one sync, or the sync a single migration's await-deletion started. */
  readonly syncs: readonly { readonly at: string; readonly source: 'recorded' | 'derived' }[];
}

export interface FindingSummary {
  readonly code: string;
  readonly severity: Severity;
  readonly count: number;
  /** How many migrations have it. */
  readonly migrations: number;
  /** From the findings catalogue; a code outside it says so. */
  readonly action: string;
  /** One example of what it was about. */
  readonly example: { readonly migrationId: string; readonly subject: string; readonly message: string };
}

export interface ProjectModel {
  readonly totals: {
    readonly migrations: number;
    readonly batches: number;
    readonly byStatus: StatusCounts;
    readonly findings: Readonly<Record<Severity, number>>;
    /** Recreate migrations with an outage window, and the longest finished one. */
    readonly outages: number;
    readonly longestOutageMs: number | null;
  };
  /** Earliest and latest journal time of the whole store (null when nothing ran). */
  readonly span: { readonly start: string; readonly end: string } | null;
  readonly batches: readonly ProjectBatch[];
  /** Batch migrations by batch, level, address; then the single ones by start. */
  readonly migrations: readonly ProjectMigration[];
  readonly timeline: readonly TimelineLane[];
  readonly findings: readonly FindingSummary[];
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { blocking: 0, 'needs-action': 1, info: 2 };

function countStatuses(statuses: Iterable<MigrationStatus>): StatusCounts {
  const counts = Object.fromEntries(MIGRATION_STATUSES.map((s) => [s, 0])) as Record<MigrationStatus, number>;
  for (const s of statuses) counts[s]++;
  return counts;
}

const ms = (iso: string) => Date.parse(iso);
/** The earliest / latest of ISO times, each parsed once (a store holds tens of thousands of journal times). */
function extreme(times: readonly string[], later: boolean): string | null {
  let best: string | null = null;
  let bestMs = later ? -Infinity : Infinity;
  for (const time of times) {
    const t = Date.parse(time);
    if (later ? t > bestMs : t < bestMs) {
      best = time;
      bestMs = t;
    }
  }
  return best;
}
const earliest = (times: readonly string[]) => extreme(times, false);
const latest = (times: readonly string[]) => extreme(times, true);

function displayNameOf(report: JsonObject | null): string | undefined {
  const group = report?.['group'];
  if (group === null || typeof group !== 'object' || Array.isArray(group)) return undefined;
  const name = group['displayName'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function toMigration(records: ProjectMigrationRecords): ProjectMigration {
  const { migration: m, journal, findings: recorded, report } = records;
  const findings = { blocking: 0, 'needs-action': 0, info: 0 };
  for (const e of recorded) findings[e.severity]++;
  // Every status but the open ones is final (state's OPEN_STATUSES), undo_failed included: it waits for an operator.
  const finished = OPEN_STATUSES.includes(m.status) ? undefined : journal.at(-1)?.at;
  const displayName = displayNameOf(report);
  return {
    id: m.id,
    address: m.group.address,
    ...(displayName === undefined ? {} : { displayName }),
    strategy: m.strategy,
    status: m.status,
    currentStep: m.currentStep,
    batchId: m.batchId,
    level: m.batchLevel,
    startedAt: journal[0]?.at ?? m.createdAt,
    ...(finished === undefined ? {} : { finishedAt: finished }),
    findings,
    codes: [...new Set(recorded.filter((e) => e.severity !== 'info').map((e) => e.code))],
    hasReport: report !== null,
    outage: outageWindow(m, journal),
  };
}

function toBatches(records: ProjectRecords): ProjectBatch[] {
  return records.batches.map((batch) => {
    const members = records.migrations.filter((r) => r.migration.batchId === batch.id);
    const levels = batch.levels.map((level): ProjectLevel => {
      const own = members.filter((r) => r.migration.batchLevel === level.level);
      const times = own.flatMap((r) => r.journal.map((e) => e.at));
      const triggered = level.data['syncTriggeredAt'];
      const deleted = level.data['deleted'];
      const notDeleted = level.data['notDeleted'];
      return {
        level: level.level,
        phase: level.phase,
        groups: own.length,
        byStatus: countStatuses(own.map((r) => r.migration.status)),
        start: earliest(times),
        end: latest(times),
        ...(typeof triggered === 'string' ? { syncTriggeredAt: triggered } : {}),
        ...(Array.isArray(deleted) ? { deleted: deleted.length } : {}),
        ...(Array.isArray(notDeleted) ? { notDeleted: notDeleted.length } : {}),
      };
    });
    return {
      id: batch.id,
      status: batch.status,
      createdAt: batch.createdAt,
      updatedAt: batch.updatedAt,
      groups: members.length,
      byStatus: countStatuses(members.map((r) => r.migration.status)),
      levels,
    };
  });
}

/** The time a single migration's await-deletion started: that step triggers the sync (steps/await-deletion.ts). */
const ownSync = (journal: readonly JournalEntry[]) =>
  journal.find((e) => e.step === 'await-deletion' && e.event === 'started')?.at;

function toTimeline(batches: readonly ProjectBatch[], records: ProjectRecords): TimelineLane[] {
  const lanes: TimelineLane[] = [];
  for (const batch of batches) {
    for (const level of batch.levels) {
      if (level.start === null || level.end === null) continue;
      lanes.push({
        label: `${batch.id} · level ${level.level}`,
        batchId: batch.id,
        level: level.level,
        migrationId: null,
        start: level.start,
        end: level.end,
        status: level.phase,
        syncs: level.syncTriggeredAt === undefined ? [] : [{ at: level.syncTriggeredAt, source: 'recorded' }],
      });
    }
  }
  for (const { migration, journal } of records.migrations) {
    if (migration.batchId !== null || journal.length === 0) continue;
    const sync = ownSync(journal);
    lanes.push({
      label: migration.group.address,
      batchId: null,
      level: null,
      migrationId: migration.id,
      start: journal[0]!.at,
      end: journal.at(-1)!.at,
      status: migration.status,
      syncs: sync === undefined ? [] : [{ at: sync, source: 'derived' }],
    });
  }
  return lanes.sort((a, b) => ms(a.start) - ms(b.start));
}

function toFindings(records: ProjectRecords): FindingSummary[] {
  const byCode = new Map<string, { summary: FindingSummary; ids: Set<string> }>();
  for (const { migration, findings } of records.migrations) {
    for (const e of findings) {
      const seen = byCode.get(e.code);
      if (seen === undefined) {
        byCode.set(e.code, {
          ids: new Set([migration.id]),
          summary: {
            code: e.code,
            severity: e.severity,
            count: 1,
            migrations: 1,
            action: isFindingCode(e.code)
              ? actionFor(e.code)
              : 'Not in the findings catalogue; see the message of each occurrence.',
            example: { migrationId: migration.id, subject: e.subject ?? '', message: e.message },
          },
        });
        continue;
      }
      seen.ids.add(migration.id);
      seen.summary = {
        ...seen.summary,
        // A code recorded with several severities counts as its most severe one.
        severity:
          SEVERITY_ORDER[e.severity] < SEVERITY_ORDER[seen.summary.severity]
            ? e.severity
            : seen.summary.severity,
        count: seen.summary.count + 1,
        migrations: seen.ids.size,
      };
    }
  }
  return [...byCode.values()]
    .map((v) => v.summary)
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        b.count - a.count ||
        compareText(a.code, b.code),
    );
}

/** Code-unit order: localeCompare builds a collation per call, which a sort of thousands of addresses notices. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function migrationOrder(a: ProjectMigration, b: ProjectMigration): number {
  if ((a.batchId === null) !== (b.batchId === null)) return a.batchId === null ? 1 : -1;
  if (a.batchId !== null && b.batchId !== null && a.batchId !== b.batchId)
    return a.batchId < b.batchId ? -1 : 1;
  return (
    (a.level ?? 0) - (b.level ?? 0) ||
    (a.batchId === null ? ms(a.startedAt) - ms(b.startedAt) : 0) ||
    compareText(a.address.toLowerCase(), b.address.toLowerCase()) ||
    (a.id < b.id ? -1 : 1)
  );
}

/** The dashboard's model of everything in the store. */
export function buildProject(records: ProjectRecords): ProjectModel {
  const migrations = records.migrations.map(toMigration).sort(migrationOrder);
  const batches = toBatches(records);
  const findings = { blocking: 0, 'needs-action': 0, info: 0 };
  for (const m of migrations) for (const s of FINDING_SEVERITIES) findings[s] += m.findings[s];
  const times = records.migrations.flatMap((r) => r.journal.map((e) => e.at));
  const start = earliest(times);
  const end = latest(times);
  const durations = migrations.flatMap((m) => (m.outage?.durationMs == null ? [] : [m.outage.durationMs]));
  return {
    totals: {
      migrations: migrations.length,
      batches: batches.length,
      byStatus: countStatuses(migrations.map((m) => m.status)),
      findings,
      outages: migrations.filter((m) => m.outage !== null).length,
      longestOutageMs: durations.length === 0 ? null : Math.max(...durations),
    },
    span: start === null || end === null ? null : { start, end },
    batches,
    migrations,
    timeline: toTimeline(batches, records),
    findings: toFindings(records),
  };
}
