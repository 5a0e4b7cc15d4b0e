// SQLite engine: better-sqlite3 (synchronous) behind the async Driver. One connection per store;
// a promise queue keeps an async transaction from interleaving with other calls on it. Several
// connections (processes, or stores in one process) may share the file: BEGIN IMMEDIATE takes the
// write lock up front, and a busy database is waited for asynchronously. SQLite's own busy_timeout
// would wait synchronously, blocking the event loop, so a second store in the same process could
// never let the first one finish its transaction. Commits are made durable off the event loop, several at once
// (wal-sync.ts): a write resolves once its commit is on disk, as with synchronous=FULL, without stopping the process
// for each fsync.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { sqliteDialect } from './dialect.js';
import type { Driver, Row, SqlExecutor, SqlValue } from './driver.js';
import { makeOwnerOnlyDir, OWNER_ONLY_FILE } from './owner-only.js';
import { fdatasyncFile, GroupSync, type SyncFile } from './wal-sync.js';

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

export interface SqliteDriverOptions {
  /** How the WAL file is made durable after commits (tests watch it). @defaultValue fdatasync on the thread pool */
  readonly syncFile?: SyncFile;
}

export function openSqliteDriver(path: string, options: SqliteDriverOptions = {}): Driver {
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
  // NORMAL: COMMIT writes the WAL without syncing it; every write below then waits for walSync, so a committed
  // journal entry survives a power cut too, not only a process crash — as FULL did, without blocking the event loop
  // (wal-sync.ts says why). Checkpoints still sync the WAL before and the database after, as SQLite does under NORMAL.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // … from then on whenNotBusy waits without blocking the event loop.
  db.pragma('busy_timeout = 0');
  tightenSidecars(file);

  const syncFile = options.syncFile ?? fdatasyncFile;
  const walSync = new GroupSync(() => syncFile(`${file}-wal`));
  /** Set by every statement that may have written, cleared when its queued call is made durable. */
  let wrote = false;

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
      wrote ||= !statement.readonly; // INSERT … RETURNING reads rows and writes
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    },
    run: (sql: string, params: readonly SqlValue[] = []): number => {
      const statement = prepare(sql);
      wrote ||= !statement.readonly;
      return statement.run(...params).changes;
    },
  };
  // Inside a transaction the write lock is already held, so statements run straight away.
  const inTransaction: SqlExecutor = {
    query: async (sql, params) => direct.query(sql, params),
    run: async (sql, params) => direct.run(sql, params),
  };

  const queue = new Queue();
  /**
   * Runs `work` in its turn and, when it committed a write, resolves only once that commit is durable. The wait is
   * outside the queue, so the next call runs meanwhile and a burst of commits shares one sync. Nothing can act on a
   * commit that is not durable yet and outlive a power cut: a process that read it and made a change because of it
   * wrote its own journal entry first, after it in the WAL, and waited for that entry's sync, which covers both.
   */
  const durably = async <T>(work: () => Promise<T>): Promise<T> => {
    let committed = false;
    const result = await queue.run(async () => {
      wrote = false;
      try {
        return await work();
      } finally {
        committed = wrote;
        wrote = false;
      }
    });
    if (committed) await walSync.afterCommit();
    return result;
  };
  let closed = false;
  return {
    dialect: sqliteDialect,
    query: (sql, params) => durably(() => whenNotBusy(() => direct.query(sql, params))),
    run: (sql, params) => durably(() => whenNotBusy(() => direct.run(sql, params))),
    transaction: (work) =>
      durably(async () => {
        await whenNotBusy(() => db.exec('BEGIN IMMEDIATE'));
        try {
          const result = await work(inTransaction);
          db.exec('COMMIT');
          wrote = true;
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          wrote = false; // rolled back: nothing to make durable
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
