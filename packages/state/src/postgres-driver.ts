// PostgreSQL engine: a small pg pool behind the async Driver. Transactions run on one pooled
// client at READ COMMITTED; row locks (FOR UPDATE [SKIP LOCKED]) do the coordination between runners.
import pg from 'pg';

import { postgresDialect } from './dialect.js';
import type { Driver, Row, SqlExecutor, SqlValue } from './driver.js';

const INT8_OID = 20;

// Epoch-millisecond columns are BIGINT; pg hands int8 back as strings by default. Our values stay
// far below 2^53, so numbers are exact.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    query: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(postgresDialect.compile(sql), params as SqlValue[])).rows as T[],
    run: async (sql, params = []) =>
      (await client.query(postgresDialect.compile(sql), params as SqlValue[])).rowCount ?? 0,
  };
}

/**
 * How long PostgreSQL lets a session of ours sit inside a transaction with no statement running. Our transactions are a
 * few statements with nothing but SQL awaited between them (store/*.ts), so a session idle in one for this long belongs
 * to a runner that hangs — a frozen machine, a paused process. Its row locks (`{forupdate}` in store/shared.ts and
 * store/leases.ts) would otherwise keep every other runner waiting on that migration for as long as it hangs, expired
 * lease or not. The server ends such a session and its locks go with it; the hung runner finds its connection gone when
 * it wakes, and its fenced writes are refused once another runner took its lease (the slow runner of
 * test/src/fault-matrix.batch.test.ts). Far above any healthy transaction, even on a machine under load.
 */
const IDLE_IN_TRANSACTION_MS = 30_000;

export function openPostgresDriver(
  url: string,
  poolSize = 4,
  idleInTransactionMs = IDLE_IN_TRANSACTION_MS,
): Driver {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    idle_in_transaction_session_timeout: idleInTransactionMs,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const direct = executor(pool);
  return {
    dialect: postgresDialect,
    query: direct.query,
    run: direct.run,
    transaction: async (work) => {
      const client = await pool.connect();
      let broken: Error | undefined;
      // The server may end the session while we hold it (IDLE_IN_TRANSACTION_MS after a hang, a restart): a checked-out
      // client's 'error' event has no other listener and would end the process. The transaction's next statement fails
      // instead, and the client is dropped from the pool.
      const onError = (error: Error) => (broken = error);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error; // the connection is unusable: drop it from the pool
        }
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    // pg refuses a second end(); closing a store twice is harmless here.
    close: () => (pool.ended ? Promise.resolve() : pool.end()),
  };
}
