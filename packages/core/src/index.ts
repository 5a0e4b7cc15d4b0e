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
export type { DeletionObservation, EngineDeps, LevelReads, MigrationContext } from './engine/context.js';
export type { Snapshot } from './engine/snapshot.js';
export { loadSnapshot } from './engine/snapshot.js';
export { readAddressHolders, type AddressHolder } from './engine/address-holders.js';
export {
  openMembershipJournal,
  writeMembership,
  type MembershipJournal,
} from './engine/membership-progress.js';
export { validate as validateSnapshot, type Validation } from './engine/validation.js';
export * from './report/schema.js';
export { parseStored } from './stored/parse.js';
export { outageOf, summarizeOutages, type OutageSummary, type OutageWindow } from './engine/outage.js';
export { planChanges, type PlannedChange } from './engine/plan.js';
export {
  MigrationEngine,
  runMigration,
  RECREATE_STEPS,
  CONVERT_STEPS,
  stepNamesFor,
  InvalidOptionsError,
  type MigrationEvent,
  type MigrationPlan,
  type RestoreOutcome,
  type AddressUpdateOutcome,
  type MigrationOutcome,
  type RunOptions,
} from './engine/engine.js';
export type { RestoreChange, RestorePreview } from './restore/preview.js';
export { enableHybridMailFlow, type EnableHybridInput, type EnableHybridResult } from './hybrid/enable.js';
export * from './csv/csv.js';
export * from './dashboard/records.js';
export * from './dashboard/outage.js';
export * from './dashboard/project.js';
export { CoreError, isCoreError } from './errors/core-error.js';
export { CORE_ERROR_CODES, type CoreErrorCode, type ErrorCodeEntry } from './errors/codes.js';
export { ERROR_CODE_SECTIONS, isErrorCode, type ErrorCodeSection } from './errors/docs.js';
export {
  loadReferences,
  type ReferencesCapture,
  type ConfigReferencesCapture,
} from './references/capture.js';
export type { EntraReference } from './references/entra.js';
export type { ExchangeReference, NotChecked } from './references/exchange.js';
export { groupIdentityOf, type GroupIdentity } from './references/identity.js';
export {
  checkConfigReferences,
  expectedConfigReferences,
  type ConfigExpectation,
  type ConfigMismatch,
} from './references/expected.js';
export type { RewireConfigResult } from './steps/rewire-config.js';
export { forgetTenantReads } from './references/cache.js';
export * from './verify/values.js';
export type { VerifySource, VerifyReading } from './verify/sources.js';
export { MIGRATION_SOURCES, RESTORE_SOURCES } from './verify/sources.js';
export type { VerifyResult } from './verify/verify.js';
export type { PlannedCheck } from './verify/plan.js';
export {
  collectPermissions,
  readMailboxPermissions,
  type CollectPermissionsOptions,
  type CollectPermissionsResult,
} from './permissions/collect.js';
