// SQLite engine: better-sqlite3 (synchronous) behind the async Driver. One connection per store;
// a promise queue keeps an async transaction from interleaving with other calls on it. Several
// connections (processes, or stores in one process) may share the file: BEGIN IMMEDIATE takes the
// write lock up front, and a busy database is waited for asynchronously. SQLite's own busy_timeout
// would wait synchronously, blocking the event loop, so a second store in the same process could
// never let the first one finish its transaction.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { sqliteDialect } from './dialect.js';
import type { Driver, Row, SqlExecutor, SqlValue } from './driver.js';
import { makeOwnerOnlyDir, OWNER_ONLY_FILE } from './owner-only.js';

const BUSY_WAIT_MS = 30_000;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Runs `attempt` until it does not fail with "database is busy", waiting a little longer each time. */
async function whenNotBusy<T>(attempt: () => T): Promise<T> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
  }
}

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
  // Opening waits synchronously (switching to WAL needs a moment of exclusive access) …
  db.pragma(`busy_timeout = ${BUSY_WAIT_MS}`);
  db.pragma('journal_mode = WAL');
  // FULL: a committed journal entry survives a power cut too, not only a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // … from then on whenNotBusy waits without blocking the event loop.
  db.pragma('busy_timeout = 0');
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
  const direct = {
    query: <T extends Row>(sql: string, params: readonly SqlValue[] = []): T[] => {
      const statement = prepare(sql);
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    },
    run: (sql: string, params: readonly SqlValue[] = []): number => prepare(sql).run(...params).changes,
  };
  // Inside a transaction the write lock is already held, so statements run straight away.
  const inTransaction: SqlExecutor = {
    query: async (sql, params) => direct.query(sql, params),
    run: async (sql, params) => direct.run(sql, params),
  };

  const queue = new Queue();
  let closed = false;
  return {
    dialect: sqliteDialect,
    query: (sql, params) => queue.run(() => whenNotBusy(() => direct.query(sql, params))),
    run: (sql, params) => queue.run(() => whenNotBusy(() => direct.run(sql, params))),
    transaction: (work) =>
      queue.run(async () => {
        await whenNotBusy(() => db.exec('BEGIN IMMEDIATE'));
        try {
          const result = await work(inTransaction);
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
