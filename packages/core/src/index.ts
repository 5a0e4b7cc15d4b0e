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
export { readAddressHolders } from './engine/address-holders.js';
export { writeMembership } from './engine/membership-progress.js';
export * from './report/schema.js';
export { summarizeOutages } from './engine/outage.js';
export {
  MigrationEngine,
  RECREATE_STEPS,
  runMigration,
  InvalidOptionsError,
  type MigrationEvent,
  type MigrationOutcome,
  type RunOptions,
} from './engine/engine.js';
export type { RestorePreview } from './restore/preview.js';
export { enableHybridMailFlow } from './hybrid/enable.js';
export * from './csv/csv.js';
export * from './dashboard/records.js';
export * from './dashboard/outage.js';
export * from './dashboard/project.js';
export { CoreError } from './errors/core-error.js';
export { isErrorCode } from './errors/docs.js';
export { loadReferences } from './references/capture.js';
export { groupIdentityOf } from './references/identity.js';
export { checkConfigReferences, expectedConfigReferences } from './references/expected.js';
export { forgetTenantReads } from './references/cache.js';
export * from './verify/values.js';
export { collectPermissions } from './permissions/collect.js';
