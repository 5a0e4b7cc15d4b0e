export * from './types.js';
export * from './errors.js';
export { isTransientStoreError } from './transient.js';
export { openStateStore, describeLocation } from './open.js';
export { startHeartbeat } from './heartbeat.js';
export { toJsonObject } from './json.js';

// Types the exports above name in their signatures, so a caller can name what it passes and receives
// (scripts/api-report.mjs fails on one left out). Tagged @public for knip (knip.json includeEntryExports):
// they are exported for those signatures, not because another package imports them today.
/** @public */
export type { Row, SqlExecutor, SqlValue } from './driver.js';
/** @public */
export type { Heartbeat, HeartbeatOptions } from './heartbeat.js';
/** @public */
export type { OpenStateStoreOptions } from './open.js';
/** @public */
export type { SchemaMigration } from './schema.js';
/** @public */
export type { BackupKind, GroupIdentity, LevelProgress } from './types.js';
