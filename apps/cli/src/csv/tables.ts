// The columns of the CSV files `plan`, `status` and `report` write (--csv FILE). Headers are a contract with the
// spreadsheets and scripts that read them: documented in apps/cli/README.md ("CSV files"), only ever added to at the
// end, never renamed or reordered. The first column of the plan and status files is `address`, the column
// `batch --file` reads, so a plan edited in Excel is the next batch's input as it stands.
import type { CsvColumn, CsvValue, ProjectMigration } from '@dlmigrate/core';
import type { MigrationRecord } from '@dlmigrate/state';
import type { Report } from '@dlmigrate/core';

export type Finding = { readonly code: string; readonly severity: string };

/** One row per planned group. */
export interface PlanRow {
  readonly address: string;
  readonly displayName?: string | undefined;
  readonly migrationId: string;
  readonly status: string;
  readonly findings: readonly Finding[];
  readonly changes: number;
  /** Nesting level in the batch layout (children first), when several groups were planned together. */
  readonly level?: number | undefined;
  /** Why the batch layout cannot run this group (cycle, child outside the set), when it cannot. */
  readonly blockedInBatch?: string | undefined;
}

/** The plan rows from what `plan` computed: each group's plan and, for several groups, the batch layout. */
export function planRows(
  plans: readonly (Omit<PlanRow, 'changes' | 'level' | 'blockedInBatch'> & { changes: readonly unknown[] })[],
  layout:
    | {
        readonly levels: readonly (readonly string[])[];
        readonly blocked: readonly { address: string; code: string }[];
      }
    | null
    | undefined,
): PlanRow[] {
  const key = (address: string) => address.toLowerCase();
  const level = new Map<string, number>();
  layout?.levels.forEach((addresses, depth) => addresses.forEach((a) => level.set(key(a), depth)));
  const blocked = new Map(layout?.blocked.map((b) => [key(b.address), b.code]) ?? []);
  return plans.map((p) => ({
    ...p,
    changes: p.changes.length,
    level: level.get(key(p.address)),
    blockedInBatch: blocked.get(key(p.address)),
  }));
}

const codes = (findings: readonly Finding[], severity: string): string =>
  findings
    .filter((f) => f.severity === severity)
    .map((f) => f.code)
    .join('; ');

export const PLAN_COLUMNS: readonly CsvColumn<PlanRow>[] = [
  { header: 'address', value: (r) => r.address },
  { header: 'displayName', value: (r) => r.displayName },
  { header: 'status', value: (r) => r.status },
  { header: 'level', value: (r) => r.level },
  { header: 'blockedInBatch', value: (r) => r.blockedInBatch },
  { header: 'blocking', value: (r) => codes(r.findings, 'blocking') },
  { header: 'needsAction', value: (r) => codes(r.findings, 'needs-action') },
  { header: 'info', value: (r) => codes(r.findings, 'info') },
  { header: 'changes', value: (r) => r.changes },
  { header: 'migrationId', value: (r) => r.migrationId },
];

/** One row per migration in the state store (or in one batch). */
export const STATUS_COLUMNS: readonly CsvColumn<MigrationRecord>[] = [
  { header: 'address', value: (m) => m.group.address },
  { header: 'status', value: (m) => m.status },
  { header: 'currentStep', value: (m) => m.currentStep },
  { header: 'strategy', value: (m) => m.strategy },
  { header: 'batchId', value: (m) => m.batchId },
  { header: 'level', value: (m) => m.batchLevel },
  { header: 'createdAt', value: (m) => m.createdAt },
  { header: 'updatedAt', value: (m) => m.updatedAt },
  { header: 'migrationId', value: (m) => m.id },
];

/** One row per finding and per change of a report (a batch report: of each of its migrations, then its own). */
export interface ReportRow {
  readonly migrationId: string;
  readonly address: string;
  readonly record: 'finding' | 'change';
  readonly severity?: string;
  readonly code?: string;
  readonly subject?: string;
  readonly message?: string;
  readonly action?: string;
  readonly side?: string;
  readonly object?: string;
  readonly attribute?: string | undefined;
  readonly before?: unknown;
  readonly after?: unknown;
}

export const REPORT_COLUMNS: readonly CsvColumn<ReportRow>[] = [
  { header: 'migrationId', value: (r) => r.migrationId },
  { header: 'address', value: (r) => r.address },
  { header: 'record', value: (r) => r.record },
  { header: 'severity', value: (r) => r.severity },
  { header: 'code', value: (r) => r.code },
  { header: 'subject', value: (r) => r.subject },
  { header: 'message', value: (r) => r.message },
  { header: 'action', value: (r) => r.action },
  { header: 'side', value: (r) => r.side },
  { header: 'object', value: (r) => r.object },
  { header: 'attribute', value: (r) => r.attribute },
  { header: 'before', value: (r) => cell(r.before) },
  { header: 'after', value: (r) => cell(r.after) },
];

export function reportRows(report: Report): ReportRow[] {
  const migrations = report.kind === 'migration' ? [report] : report.migrations;
  const rows = migrations.flatMap((m): ReportRow[] => {
    const base = { migrationId: m.id, address: m.group.address };
    return [
      ...m.findings.map((f) => ({ ...base, record: 'finding' as const, ...f })),
      ...m.changes.map((c) => ({ ...base, record: 'change' as const, ...c })),
    ];
  });
  if (report.kind === 'batch')
    rows.push(
      ...report.findings.map((f) => ({
        migrationId: report.id,
        address: '',
        record: 'finding' as const,
        ...f,
      })),
    );
  return rows;
}

/** A value before/after a change: text as it is, a list one item a line (Excel wraps it), anything else as JSON. */
function cell(value: unknown): CsvValue {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
    return value.join('\n');
  return JSON.stringify(value);
}

/** `report --all --csv`: one row per migration of the project dashboard (outage times in UTC, duration in seconds). */
export const DASHBOARD_COLUMNS: readonly CsvColumn<ProjectMigration>[] = [
  { header: 'address', value: (m) => m.address },
  { header: 'displayName', value: (m) => m.displayName },
  { header: 'status', value: (m) => m.status },
  { header: 'strategy', value: (m) => m.strategy },
  { header: 'batchId', value: (m) => m.batchId },
  { header: 'level', value: (m) => m.level },
  { header: 'startedAt', value: (m) => m.startedAt },
  { header: 'finishedAt', value: (m) => m.finishedAt },
  { header: 'blocking', value: (m) => m.findings.blocking },
  { header: 'needsAction', value: (m) => m.findings['needs-action'] },
  { header: 'info', value: (m) => m.findings.info },
  { header: 'codes', value: (m) => m.codes.join('; ') },
  { header: 'outageStart', value: (m) => m.outage?.start },
  { header: 'outageEnd', value: (m) => m.outage?.end },
  {
    header: 'outageSeconds',
    value: (m) => (m.outage?.durationMs == null ? undefined : Math.round(m.outage.durationMs / 1000)),
  },
  { header: 'outageSource', value: (m) => m.outage?.source },
  { header: 'migrationId', value: (m) => m.id },
];
