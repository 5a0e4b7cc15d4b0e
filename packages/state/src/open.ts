// Picks the engine from what the operator passed: a postgres:// URL or a SQLite file path.
import type { Driver } from './driver.js';
import { openPostgresDriver } from './postgres-driver.js';
import { migrateSchema, SCHEMA_MIGRATIONS, type SchemaMigration } from './schema.js';
import { openSqliteDriver } from './sqlite-driver.js';
import { SqlStateStore } from './store.js';
import type { StateStore } from './types.js';

export interface OpenStateStoreOptions {
  /** The schema to bring the store to; defaults to this version's SCHEMA_MIGRATIONS (tests pass their own). */
  schemaMigrations?: readonly SchemaMigration[];
  /** PostgreSQL connections per store (default 4). */
  poolSize?: number;
}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

export async function openStateStore(target: string, options: OpenStateStoreOptions = {}): Promise<StateStore> {
  if (target.trim() === '') throw new TypeError('state store location is empty: pass a SQLite file path or a postgres:// URL');
  const driver: Driver = isPostgresUrl(target) ? openPostgresDriver(target, options.poolSize) : openSqliteDriver(target);
  try {
    await migrateSchema(driver, options.schemaMigrations ?? SCHEMA_MIGRATIONS);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return new SqlStateStore(driver);
}
