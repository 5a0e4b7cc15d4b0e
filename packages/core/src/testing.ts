// @dlmigrate/core/testing — what tests and benchmarks use of this package beyond its product API (src/index.ts):
// the engine's parts that the e2e tests drive or read one by one (the product reaches them through
// MigrationEngine and the batch runner), and the resets a test world needs between runs.
// Imported as '@dlmigrate/core/testing' (package.json "exports", same dlmigrate-source condition as the main entry).
export { readAddressHolders } from './engine/address-holders.js';
export { writeMembership } from './engine/membership-progress.js';
export { summarizeOutages } from './engine/outage.js';
export { RECREATE_STEPS, runMigration } from './engine/engine.js';
export { enableHybridMailFlow } from './hybrid/enable.js';
export { loadReferences } from './references/capture.js';
export { groupIdentityOf } from './references/identity.js';
export { checkConfigReferences, expectedConfigReferences } from './references/expected.js';
// Batch planning one piece at a time (the product plans through planBatchRun inside migrateBatch, and the CLI through
// planLayout): the benchmarks time each piece, the tests plan a batch to run it later.
export { layOut, layoutOf, planBatchRun, recordBatch, waveSize } from './batch/plan.js';
export { resolveOptions } from './options.js';
export { actionFor } from './findings/catalogue.js';
export { parseCsv } from './csv/csv.js';
// Drops the tenant reads cached across migrations, so each test world starts from what its tenant holds.
export { forgetTenantReads } from './references/cache.js';

// Types the exports above name in their signatures (scripts/api-report.mjs fails on one left out). Tagged @public
// for knip (knip.json includeEntryExports): exported for those signatures, not because a test imports them today.
/** @public */
export type { ChildGroup, DirectoryGroup } from './batch/directory.js';
/** @public */
export type { CsvRecord } from './csv/csv.js';
/** @public */
export type { AddressHolder, SelfIds } from './engine/address-holders.js';
/** @public */
export type { OutageSummary } from './engine/outage.js';
/** @public */
export type { ConfigReferencesCapture, EntraCapture, ReferencesCapture } from './references/capture.js';
/** @public */
export type { EntraReference, EntraReferencesCapture } from './references/entra.js';
/** @public */
export type {
  ExchangeReference,
  ExchangeReferenceKind,
  NotChecked,
  ReferenceContainer,
} from './references/exchange.js';
/** @public */
export type { ConfigExpectation, ConfigMismatch } from './references/expected.js';
/** @public */
export type { GroupIdentity, StoredAs } from './references/identity.js';
