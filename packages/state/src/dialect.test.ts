import { describe, expect, it } from 'vitest';

import { postgresDialect, sqliteDialect } from './dialect.js';

describe('SQL dialect shim', () => {
  const sql = 'SELECT id FROM migrations WHERE a = ? AND b IN (?, ?) AND t < {now} LIMIT 1 {skiplocked}';

  it('numbers placeholders and adds row locks for PostgreSQL', () => {
    expect(postgresDialect.compile(sql)).toBe(
      'SELECT id FROM migrations WHERE a = $1 AND b IN ($2, $3) AND t < ' +
        'CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT) LIMIT 1 FOR UPDATE SKIP LOCKED',
    );
    expect(postgresDialect.compile('SELECT * FROM m WHERE id = ? {forupdate}')).toBe(
      'SELECT * FROM m WHERE id = $1 FOR UPDATE',
    );
  });

  it('keeps placeholders and drops row locks for SQLite', () => {
    const compiled = sqliteDialect.compile(sql);
    expect(compiled).toContain('a = ? AND b IN (?, ?)');
    expect(compiled).toContain("julianday('now')");
    expect(compiled.trimEnd().endsWith('LIMIT 1')).toBe(true);
  });
});
