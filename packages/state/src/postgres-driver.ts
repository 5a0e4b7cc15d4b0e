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

export function openPostgresDriver(url: string, poolSize = 4): Driver {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
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
        client.release(broken);
      }
    },
    // pg refuses a second end(); closing a store twice is harmless here.
    close: () => (pool.ended ? Promise.resolve() : pool.end()),
  };
}
