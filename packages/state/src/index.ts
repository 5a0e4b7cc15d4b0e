export * from './types.js';
export * from './errors.js';
export { isTransientStoreError } from './transient.js';
export { openStateStore, describeLocation } from './open.js';
export { SCHEMA_MIGRATIONS } from './schema.js';
export { startHeartbeat } from './heartbeat.js';
export { exportMigration, importMigration } from './audit-folder.js';
