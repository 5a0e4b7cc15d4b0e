// A minimal async SQL driver that both engines implement; the store is written against it.
import type { Dialect } from './dialect.js';

export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  /** Runs one statement (written with "?" placeholders and dialect tokens) and returns its rows. */
  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs one statement and returns the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface Driver extends SqlExecutor {
  readonly dialect: Dialect;
  /**
   * Runs `work` in one write transaction: commit when it resolves, roll back when it throws.
   * Statements inside must go through the given executor.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
