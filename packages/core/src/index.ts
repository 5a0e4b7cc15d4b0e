// @dlmigrate/core — the migration engine. What the command line (apps/cli) and the other packages use, grouped by
// purpose; what only tests and benchmarks use is behind '@dlmigrate/core/testing' (src/testing.ts). The list is
// checked: scripts/api-report.mjs writes it to api.txt, knip (knip.json includeEntryExports) fails on an export
// nobody imports.

// ── The engine: one migration, resume, abort, restore, verify, address update, hybrid mail flow ──────────────────
export {
  MigrationEngine,
  InvalidOptionsError,
  type MigrationEvent,
  type MigrationOutcome,
  type RunOptions,
} from './engine/engine.js';
export type { EngineDeps } from './engine/context.js';
export type { MigrationOptionsInput } from './options.js';
export type { RestorePreview } from './restore/preview.js';
export { StopRequested } from './util/poll.js';

// ── The process that runs migrations: how far its heap may grow past what is alive (set once, at start) ──────────
export { boundHeapGrowth } from './runner/heap-growth.js';

// ── Batches: plan the list into levels and waves, run them (several runners may share a store) ────────────────────
export { parseGroupList } from './batch/input.js';
export { planLayout, batchPlanBlocked, type PlanLayout } from './batch/plan-layout.js';
export { BatchInputError } from './batch/plan.js';
export { migrateBatch } from './batch/batch.js';
export { runBatch, type BatchOutcome, type BatchRunOptions } from './batch/runner.js';
export { retryFailedGroups, type BatchRetryDecision } from './batch/retry.js';
export type { BatchEvent } from './batch/events.js';

// ── Status, reports, the project dashboard, CSV ──────────────────────────────────────────────────────────────────
export {
  batchStatus,
  listMigrationStatus,
  migrationStatus,
  migrationStatusMark,
  type BatchStatusView,
  type MigrationStatusDetail,
} from './status/listing.js';
export {
  reportSchema,
  type BatchReport,
  type MigrationReport,
  type Outage,
  type Report,
  type ReportFinding,
} from './report/schema.js';
export { loadProjectRecords } from './dashboard/records.js';
export {
  buildProject,
  type FindingSummary,
  type ProjectBatch,
  type ProjectMigration,
  type ProjectModel,
} from './dashboard/project.js';
export type { GroupOutage } from './dashboard/outage.js';
export { toCsv, CsvError, type CsvColumn, type CsvValue } from './csv/csv.js';

// ── The directory sync trigger (command, SSH, Graph's sync job, HTTP) ────────────────────────────────────────────
export {
  createSyncTrigger,
  parseHostKeyPin,
  probeSshTrigger,
  SyncTriggerError,
  windowsCommandProblem,
  type SyncTriggerConfig,
  type SyncTriggerHooks,
} from './sync/trigger.js';

// ── Mailbox permissions (collect permissions) ────────────────────────────────────────────────────────────────────
export { collectPermissions } from './permissions/collect.js';

// ── Errors: the code table of every package (docs/errors.md) ─────────────────────────────────────────────────────
export { CoreError } from './errors/core-error.js';
export { isErrorCode } from './errors/docs.js';

// Types the exports above name in their signatures, so a caller can name what it passes and receives
// (scripts/api-report.mjs fails on one left out). Tagged @public for knip (knip.json includeEntryExports):
// they are exported for those signatures, not because another package imports them today.
/** @public */
export { FindingsError } from './findings/finding.js';
/** @public */
export type { DirectoryProblem, DirectoryProblemCode } from './batch/directory.js';
/** @public */
export type { BatchEventListener, LevelPhase } from './batch/events.js';
/** @public */
export type { GroupList, InputProblem, ListedGroup } from './batch/input.js';
/** @public */
export type { BatchLayout, BatchProblem, BatchRequest, PlannedBatch } from './batch/plan.js';
/** @public */
export type { BatchGroupResult } from './batch/runner.js';
/** @public */
export type { ProjectLevel, TimelineLane } from './dashboard/project.js';
/** @public */
export type { ProjectMigrationRecords, ProjectRecords } from './dashboard/records.js';
/** @public */
export type { DeletionObservation, LevelReads } from './engine/context.js';
/** @public */
export type { AddressUpdateOutcome, MigrationPlan, RestoreOutcome } from './engine/engine.js';
/** @public */
export type { PlannedChange } from './engine/plan.js';
/** @public */
export type { TenantCapture } from './engine/snapshot.js';
/** @public */
export type { Finding } from './findings/finding.js';
/** @public */
export type { EnableHybridInput, EnableHybridResult } from './hybrid/enable.js';
/** @public */
export type { MigrationOptions, Strategy } from './options.js';
/** @public */
export type { CollectPermissionsOptions, CollectPermissionsResult } from './permissions/collect.js';
/** @public */
export type { RestoreChange } from './restore/preview.js';
/** @public */
export type { BatchStatusGroup, BatchStatusLevel, MigrationStatusMark } from './status/listing.js';
/** @public */
export type { HostKeyPin } from './sync/ssh-host-key.js';
/** @public */
export type { SshTriggerConfig, SshTriggerHooks } from './sync/ssh-trigger.js';
/** @public */
export type { SyncTriggerErrorCode, SyncTriggerLogEntry } from './sync/trigger-types.js';
/** @public */
export type { SyncJobStarter, SyncTrigger } from './sync/trigger.js';
/** @public */
export type { Clock } from './util/poll.js';
/** @public */
export type { PlannedCheck } from './verify/plan.js';
/** @public */
export type { VerifySide } from './verify/values.js';
/** @public */
export type { VerifyResult } from './verify/verify.js';
