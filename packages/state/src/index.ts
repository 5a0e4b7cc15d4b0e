export * from './types.js';
export * from './errors.js';
export { newId } from './ids.js';
export { isTransientStoreError } from './transient.js';
export { assertNoSecrets, findSecrets, isSecretKey, stripSecrets } from './secrets.js';
export { openStateStore, isPostgresUrl, describeLocation, type OpenStateStoreOptions } from './open.js';
export { SCHEMA_MIGRATIONS, type SchemaMigration } from './schema.js';
export {
  startHeartbeat,
  startRenewal,
  type Heartbeat,
  type HeartbeatOptions,
  type RenewalOptions,
} from './heartbeat.js';
export { exportMigration, importMigration, EXPORT_FORMAT } from './audit-folder.js';
