// The one place where SQLite and PostgreSQL SQL differ. Queries are written once with "?"
// placeholders and a few tokens; the dialect turns them into what each engine runs:
//   ?            → ? (SQLite) or $1, $2, … (PostgreSQL)
//   {now}        → the database clock in epoch milliseconds
//   {skiplocked} → FOR UPDATE SKIP LOCKED on PostgreSQL (claiming work under leases)
//   {forupdate}  → FOR UPDATE on PostgreSQL (serialise writers of one row)
// Both locks are empty on SQLite, where the transaction itself (BEGIN IMMEDIATE) already holds the
// database's only write lock.
// Upserts need no shim: both engines accept INSERT … ON CONFLICT (…) DO UPDATE/NOTHING and RETURNING.
import type { Engine } from './types.js';

export interface Dialect {
  readonly engine: Engine;
  compile(sql: string): string;
  /** Statement run first in every schema-migration transaction so that concurrent openers wait. */
  readonly schemaLock: string | null;
}

function replaceTokens(sql: string, now: string, skipLocked: string, forUpdate: string): string {
  return sql
    .replaceAll('{now}', now)
    .replaceAll('{skiplocked}', skipLocked)
    .replaceAll('{forupdate}', forUpdate);
}

export const sqliteDialect: Dialect = {
  engine: 'sqlite',
  compile: (sql) =>
    replaceTokens(sql, "CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)", '', ''),
  schemaLock: null,
};

export const postgresDialect: Dialect = {
  engine: 'postgres',
  compile: (sql) => {
    let n = 0;
    // Queries never carry "?" inside literals: every value travels as a parameter.
    return replaceTokens(
      sql,
      'CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)',
      'FOR UPDATE SKIP LOCKED',
      'FOR UPDATE',
    ).replace(/\?/g, () => `$${++n}`);
  },
  // An arbitrary constant key ("dlmg" in ASCII) for a transaction-scoped advisory lock.
  schemaLock: 'SELECT pg_advisory_xact_lock(1684827495)',
};
