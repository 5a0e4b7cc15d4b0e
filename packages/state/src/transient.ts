// Failures of the state store that say "try again" rather than "this is wrong": the database was busy or locked, a
// transaction lost a serialization race or a deadlock, or the connection to PostgreSQL dropped (a restart, a
// fail-over). The drivers hand these through as they are (sqlite-driver.ts retries SQLITE_BUSY only up to its busy
// deadline); the engine retries the step that met one (packages/core/src/util/retry.ts) instead of rolling back.

/** SQLite result codes (better-sqlite3 `code`) that clear by themselves. */
const SQLITE_TRANSIENT = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
]);

/**
 * PostgreSQL SQLSTATEs (pg `code`): serialization failure, deadlock, connection exceptions (class 08), the server
 * shutting down or starting (57P01–57P03), too many connections (53300).
 */
const POSTGRES_TRANSIENT = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '53300']);

/** Socket errors of a dropped or refused connection (pg reports them with the Node error code). */
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

export function isTransientStoreError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    // pg: "Connection terminated unexpectedly" carries no code.
    return error instanceof Error && /Connection terminated unexpectedly/.test(error.message);
  }
  return (
    SQLITE_TRANSIENT.has(code) ||
    POSTGRES_TRANSIENT.has(code) ||
    code.startsWith('08') ||
    CONNECTION_CODES.has(code)
  );
}
