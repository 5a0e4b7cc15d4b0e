// @dlmigrate/state/testing — what tests and benchmarks use of this package beyond its product API (src/index.ts):
// the list of schema migrations, so tests can open a store at an older schema version and upgrade it; the audit
// folder (audit-folder.ts), which no command writes or reads today (the state tests and bench/state.bench.ts do).
// Imported as '@dlmigrate/state/testing' (package.json "exports", same dlmigrate-source condition as the main entry).
export { SCHEMA_MIGRATIONS } from './schema.js';
export { exportMigration, importMigration } from './audit-folder.js';
