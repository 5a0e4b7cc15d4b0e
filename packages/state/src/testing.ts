// @dlmigrate/state/testing — what tests and benchmarks use of this package beyond its product API (src/index.ts):
// the list of schema migrations, so tests can open a store at an older schema version and upgrade it.
// Imported as '@dlmigrate/state/testing' (package.json "exports", same dlmigrate-source condition as the main entry).
export { SCHEMA_MIGRATIONS } from './schema.js';
