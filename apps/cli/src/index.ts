export { runCli, createProgram, type ProgramState } from './program.js';
export { ExitCode, exitCodeHelp } from './exit-codes.js';
export { CliError, UsageError } from './errors.js';
export {
  configSchema,
  CLOUD_NAMES,
  SYNC_TRIGGER_KINDS,
  type DlmigrateConfig,
  type DlmigrateConfigInput,
  type AdConfig,
  type TenantConfig,
  type SyncConfig,
  type MigrationDefaults,
} from './config/schema.js';
export {
  loadConfig,
  requireSections,
  CONFIG_FILE_NAMES,
  type ConfigSources,
  type LoadedConfig,
} from './config/load.js';
export { SETTINGS, MIGRATION_SETTINGS, type Setting } from './config/settings.js';
export { addressProblem, parseGroupAddresses } from './session/address.js';
export { isDistinguishedName } from './config/values.js';
export {
  createSelfSignedCertificate,
  thumbprintsOf,
  type SelfSignedCertificate,
  type Thumbprints,
} from './certificate/self-signed.js';
export {
  requiredPermissions,
  requiredResourceAccess,
  ENTRA_ROLES,
  type AppPermission,
} from './certificate/app-registration.js';
export { renderReportHtml } from './report/html.js';
export { reportSchema, type Report, type MigrationReport, type BatchReport } from '@dlmigrate/core';
export { escapeHtml } from './report/escape.js';
export { writeCsvFile } from './csv/write.js';
export { PLAN_COLUMNS, STATUS_COLUMNS, REPORT_COLUMNS, type PlanRow, type ReportRow } from './csv/tables.js';

// Types the exports above name in their signatures, so a caller can name what it passes and receives
// (scripts/api-report.mjs fails on one left out).
export type { SettingType } from './config/settings.js';
export type { Io } from './context.js';
export type { Finding } from './csv/tables.js';
export type { Redactor } from './output/redact.js';
