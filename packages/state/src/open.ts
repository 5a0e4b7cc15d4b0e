// Picks the engine from what the operator passed: a postgres:// URL or a SQLite file path.
import type { Driver } from './driver.js';
import { InvalidInputError, StateError, StoreUnavailableError } from './errors.js';
import { migrateSchema, SCHEMA_MIGRATIONS, type SchemaMigration } from './schema.js';
import { SqlStateStore } from './store.js';
import type { StateStore } from './types.js';

export interface OpenStateStoreOptions {
  /** The schema to bring the store to; defaults to this version's SCHEMA_MIGRATIONS (tests pass their own). */
  schemaMigrations?: readonly SchemaMigration[];
  /** PostgreSQL connections per store (default 4). */
  poolSize?: number;
  /**
   * PostgreSQL: after how long a session idle inside a transaction is ended by the server, releasing its row locks
   * (default IDLE_IN_TRANSACTION_MS in postgres-driver.ts; tests of a hung holder pass less).
   */
  idleInTransactionMs?: number;
}

function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The location as it may be shown to a person: a URL's password is replaced by "***". */
export function describeLocation(target: string): string {
  if (!isPostgresUrl(target)) return target;
  try {
    const url = new URL(target);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export async function openStateStore(
  target: string,
  options: OpenStateStoreOptions = {},
): Promise<StateStore> {
  if (target.trim() === '')
    throw new InvalidInputError(
      'state store location is empty: pass a SQLite file path or a postgres:// URL',
    );
  let driver: Driver;
  try {
    // Only the engine in use is loaded: pg and better-sqlite3 cost a process about 15 and 6 MiB of memory before they
    // do anything, which a run on the other engine never needs (issue 17: the floor under a migration's peak).
    driver = isPostgresUrl(target)
      ? (await import('./postgres-driver.js')).openPostgresDriver(
          target,
          options.poolSize,
          options.idleInTransactionMs,
        )
      : (await import('./sqlite-driver.js')).openSqliteDriver(target);
  } catch (error) {
    throw new StoreUnavailableError(describeLocation(target), error);
  }
  try {
    await migrateSchema(driver, options.schemaMigrations ?? SCHEMA_MIGRATIONS);
  } catch (error) {
    await driver.close().catch(() => undefined);
    // Our own errors (schema too new, bad migration list) already say what to do.
    throw error instanceof StateError ? error : new StoreUnavailableError(describeLocation(target), error);
  }
  return new SqlStateStore(driver);
}
