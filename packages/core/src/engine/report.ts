// The migration report: every step with its outcome and time, what changed where, and every finding with its code
// and severity. "Completed with warnings" (needs-action findings) is a success, not a failure (B14).
import { CoreError } from '../errors/core-error.js';
import type { FindingRecord, JsonObject, MigrationStatus, StateStore } from '@dlmigrate/state';
import { actionFor, isFindingCode } from '../findings/catalogue.js';
import {
  migrationReportSchema,
  type MigrationReport,
  type ReportChange,
  type ReportFinding,
  type StepStatus,
} from '../report/schema.js';
import { migrationStrategy } from '../hybrid/update-address.js';
import { parseStored } from '../stored/parse.js';
import { lastEntryByStep } from '../saga/journal.js';
import { StateJournal } from '../saga/state-journal.js';
import { latestVerification } from '../verify/verify.js';
import { outageOf } from './outage.js';
import { loadSnapshotPart, SNAPSHOT_KINDS } from './snapshot.js';

export type { MigrationReport, ReportChange, ReportFinding } from '../report/schema.js';

function stepStatus(event: string | undefined): StepStatus {
  switch (event) {
    case 'completed':
      return 'completed';
    case 'skipped':
      return 'skipped';
    case 'undone':
      return 'undone';
    case 'failed':
    case 'suspended':
    case 'undo-failed':
      return 'failed';
    default:
      return 'pending';
  }
}

export function toReportFinding(
  e: Pick<FindingRecord, 'code' | 'severity' | 'message' | 'subject' | 'attribute' | 'step'>,
): ReportFinding {
  return {
    code: e.code,
    severity: e.severity,
    subject: e.subject ?? '',
    message: e.message,
    action: isFindingCode(e.code) ? actionFor(e.code) : 'See the message.',
    ...(e.attribute ? { attribute: e.attribute } : {}),
    ...(e.step ? { step: e.step } : {}),
  };
}

/** The status a finished run gets from its findings. */
export function finishedStatus(findings: readonly Pick<FindingRecord, 'severity'>[]): MigrationStatus {
  return findings.some((e) => e.severity === 'needs-action') ? 'completed_with_warnings' : 'completed';
}

export async function buildReport(
  state: StateStore,
  migrationId: string,
  stepNames: readonly string[],
  status: MigrationStatus,
  changes: readonly ReportChange[],
  finishedAt?: string,
): Promise<MigrationReport> {
  const migration = await state.getMigration(migrationId);
  if (migration === null)
    throw new CoreError('CORE_MIGRATION_NOT_FOUND', `there is no migration ${migrationId}`);
  const journal = await new StateJournal(state).read(migrationId);
  const last = lastEntryByStep(journal);
  // The group as the run parsed it already (loadSnapshotPart): read again, a 100,000-member group's part is its member
  // DNs twice over, parsed for one name (issue 17). A migration that never captured it has none.
  const onPrem = (await state.hasBackup(migrationId, SNAPSHOT_KINDS.onPrem))
    ? await loadSnapshotPart(state, migrationId, 'onPrem')
    : null;
  const verification = latestVerification(journal);
  const outage = outageOf(journal);
  const displayName = onPrem?.group?.displayName;
  return {
    kind: 'migration',
    id: migrationId,
    group: { address: migration.group.address, ...(displayName === undefined ? {} : { displayName }) },
    strategy: migrationStrategy(migration),
    status,
    startedAt: journal[0]?.at ?? migration.createdAt,
    ...(finishedAt === undefined ? {} : { finishedAt }),
    ...(verification === undefined ? {} : { verification }),
    steps: stepNames.map((name) => {
      const entry = last.get(name);
      return {
        name,
        status: stepStatus(entry?.event),
        ...(entry?.error === undefined ? {} : { detail: entry.error.message }),
        ...(entry === undefined ? {} : { at: entry.at }),
      };
    }),
    changes: [...changes],
    findings: (await state.listFindings(migrationId)).map(toReportFinding),
    ...(outage === undefined ? {} : { outage }),
  };
}

/** The stored report of a migration, parsed (STORED_DOCUMENT_INVALID when it does not fit); null before it has one. */
export async function readReport(state: StateStore, migrationId: string): Promise<MigrationReport | null> {
  const record = await state.getReport(migrationId);
  return record === null
    ? null
    : parseStored(migrationReportSchema, record.report, `the report of migration ${migrationId}`);
}

export async function saveReport(state: StateStore, report: MigrationReport): Promise<void> {
  await state.putReport(report.id, JSON.parse(JSON.stringify(report)) as JsonObject);
}
