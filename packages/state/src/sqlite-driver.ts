// SQLite engine: better-sqlite3 (synchronous) behind the async Driver. One connection per store;
// a promise queue keeps an async transaction from interleaving with other calls on it. Several
// processes may share the file: BEGIN IMMEDIATE takes the write lock up front and busy_timeout
// makes the others wait for it instead of failing.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { sqliteDialect } from './dialect.js';
import type { Driver, Row, SqlExecutor, SqlValue } from './driver.js';
import { makeOwnerOnlyDir, OWNER_ONLY_FILE } from './owner-only.js';

const BUSY_TIMEOUT_MS = 30_000;

/** Runs async work one at a time, in call order. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function tightenSidecars(file: string): void {
  for (const sidecar of [`${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(sidecar)) chmodSync(sidecar, OWNER_ONLY_FILE);
  }
}

export function openSqliteDriver(path: string): Driver {
  const file = resolve(path);
  makeOwnerOnlyDir(dirname(file));
  // Create the file ourselves so it is owner-only from its first byte; SQLite gives the -wal and
  // -shm files it creates later the same permissions as the database file.
  closeSync(openSync(file, 'a', OWNER_ONLY_FILE));
  chmodSync(file, OWNER_ONLY_FILE);

  const db = new Database(file);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  // FULL: a committed journal entry survives a power cut too, not only a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  tightenSidecars(file);

  const statements = new Map<string, Database.Statement>();
  function prepare(sql: string): Database.Statement {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sqliteDialect.compile(sql));
      statements.set(sql, statement);
    }
    return statement;
  }
  const direct: SqlExecutor = {
    query: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) => {
      const statement = prepare(sql);
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    },
    run: async (sql, params = []) => prepare(sql).run(...params).changes,
  };

  const queue = new Queue();
  let closed = false;
  return {
    dialect: sqliteDialect,
    query: (sql, params) => queue.run(() => direct.query(sql, params)),
    run: (sql, params) => queue.run(() => direct.run(sql, params)),
    transaction: (work) =>
      queue.run(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(direct);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        } finally {
          tightenSidecars(file);
        }
      }),
    close: () =>
      queue.run(async () => {
        if (closed) return;
        closed = true;
        db.close();
      }),
  };
}
