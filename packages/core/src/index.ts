// @dlmigrate/core — the migration engine.
export * from './findings/catalogue.js';
export * from './findings/finding.js';
export * from './mapping/group-type.js';
export * from './mapping/names.js';
export * from './mapping/settings.js';
export * from './mapping/addresses.js';
export * from './mapping/links.js';
export * from './mapping/retention.js';
export * from './batch/index.js';
export * from './saga/journal.js';
export * from './saga/runner.js';
export * from './saga/state-journal.js';
export * from './options.js';
export * from './sync/trigger.js';
export * from './util/poll.js';
export * from './util/transient.js';
export type { EngineDeps } from './engine/context.js';
export * from './report/schema.js';
export {
  MigrationEngine,
  InvalidOptionsError,
  type MigrationEvent,
  type MigrationOutcome,
  type RunOptions,
} from './engine/engine.js';
export type { RestorePreview } from './restore/preview.js';
export * from './csv/csv.js';
export * from './dashboard/records.js';
export * from './dashboard/outage.js';
export * from './dashboard/project.js';
export {
  batchStatus,
  listMigrationStatus,
  migrationStatus,
  type BatchStatusView,
  type MigrationStatusDetail,
} from './status/listing.js';
export { CoreError } from './errors/core-error.js';
export { isErrorCode } from './errors/docs.js';
export * from './verify/values.js';
export { collectPermissions } from './permissions/collect.js';

// Types the exports above name in their signatures, so a caller can name what it passes and receives
// (scripts/api-report.mjs fails on one left out). Tagged @public for knip (knip.json includeEntryExports):
// they are exported for those signatures, not because another package imports them today.
/** @public */
export type { DirectoryProblemCode } from './batch/directory.js';
/** @public */
export type { BatchGroupResult } from './batch/runner.js';
/** @public */
export type { ProjectLevel, TimelineLane } from './dashboard/project.js';
/** @public */
export type { DeletionObservation, LevelReads } from './engine/context.js';
/** @public */
export type { AddressUpdateOutcome, MigrationPlan, RestoreOutcome } from './engine/engine.js';
/** @public */
export type { PlannedChange } from './engine/plan.js';
/** @public */
export type { TenantCapture } from './engine/snapshot.js';
/** @public */
export type { EnableHybridInput, EnableHybridResult } from './hybrid/enable.js';
/** @public */
export type { LinkedObject } from './mapping/links.js';
/** @public */
export type { Strategy } from './options.js';
/** @public */
export type { CollectPermissionsOptions, CollectPermissionsResult } from './permissions/collect.js';
/** @public */
export type { RestoreChange } from './restore/preview.js';
/** @public */
export type { HostKeyPin } from './sync/ssh-host-key.js';
/** @public */
export type { SshTriggerHooks } from './sync/ssh-trigger.js';
/** @public */
export type { SyncTriggerErrorCode } from './sync/trigger-types.js';
/** @public */
export type { BatchStatusGroup, BatchStatusLevel } from './status/listing.js';
/** @public */
export type { PlannedCheck } from './verify/plan.js';
/** @public */
export type { VerifyResult } from './verify/verify.js';
