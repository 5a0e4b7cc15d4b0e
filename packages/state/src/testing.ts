// @dlmigrate/state/testing — what tests and benchmarks use of this package beyond its product API (src/index.ts):
// the list of schema migrations, so tests can open a store at an older schema version and upgrade it; the audit
// folder (audit-folder.ts), which no command writes or reads today (the state tests and bench/state.bench.ts do);
// throw-away PostgreSQL databases for stores under test, and store writers or batch runners run as processes of their
// own, watched line by line (test-support/).
// Imported as '@dlmigrate/state/testing' (package.json "exports", same dlmigrate-source condition as the main entry).
export { SCHEMA_MIGRATIONS } from './schema.js';
export { exportMigration, importMigration } from './audit-folder.js';
export { throwawayPostgres, type ThrowawayDatabase } from './test-support/throwaway-postgres.js';
export { spawnWatched, type WatchedProcess } from './test-support/watched-process.js';
