// State store throughput on both engines: how many journal appends, claims and exports per second
// a single runner gets. Prints figures only.
//   node --import tsx --conditions=dlmigrate-source bench/state.bench.ts [appends]
// PostgreSQL: a throw-away database on 127.0.0.1:5432 (user postgres), made with createdb/dropdb.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openStateStore, type StateStore } from '@dlmigrate/state';
import { exportMigration } from '@dlmigrate/state/testing';

const appends = Number(process.argv[2] ?? 2000);
const PG = ['-h', '127.0.0.1', '-U', 'postgres'];

async function timed(label: string, count: number, work: () => Promise<void>): Promise<void> {
  const started = process.hrtime.bigint();
  await work();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    `  ${label.padEnd(46)} ${count.toString().padStart(6)} in ${ms.toFixed(0).padStart(6)} ms = ${((count / ms) * 1000).toFixed(0).padStart(6)}/s`,
  );
}

async function measure(store: StateStore, folder: string): Promise<void> {
  const migration = await store.createMigration({
    group: { address: 'bench@contoso.com' },
    strategy: 'recreate',
  });
  await timed('appendJournal, one after another', appends, async () => {
    for (let i = 0; i < appends; i++) {
      await store.appendJournal(migration.id, { step: `step-${i % 12}`, event: 'completed', data: { i } });
    }
  });
  const others = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      store.createMigration({ group: { address: `g${i}@contoso.com` }, strategy: 'recreate' }),
    ),
  );
  await timed('appendJournal, 8 migrations concurrently', appends, async () => {
    await Promise.all(
      others.map(async (other) => {
        for (let i = 0; i < appends / others.length; i++) {
          await store.appendJournal(other.id, { step: 'stage', event: 'started', data: { i } });
        }
      }),
    );
  });
  const groups = Array.from({ length: 500 }, (_, i) => ({
    group: { address: `b${i}@contoso.com` },
    strategy: 'convert' as const,
  }));
  await timed('createBatch (one transaction, 500 groups)', 500, async () => {
    await store.createBatch({ id: 'bench', input: {}, levels: [groups] });
  });
  await timed('claimNext + complete + release', 500, async () => {
    for (;;) {
      const claimed = await store.claimNext('bench', 'runner', 60_000);
      if (!claimed) break;
      await store.appendJournalAndSetStatus(claimed.id, { step: 'work', event: 'completed' }, 'completed', {
        runnerId: 'runner',
      });
      await store.releaseLease(claimed.id, 'runner');
    }
  });
  await timed(`exportMigration (${appends}-entry journal)`, 20, async () => {
    for (let i = 0; i < 20; i++) await exportMigration(store, migration.id, join(folder, `export-${i}`));
  });
}

const folder = mkdtempSync(join(tmpdir(), 'dlmigrate-bench-'));
const database = `dlmigrate_bench_${randomBytes(4).toString('hex')}`;
try {
  console.log(`SQLite (WAL, synchronous=FULL), ${appends} appends`);
  const sqlite = await openStateStore(join(folder, 'bench.db'));
  await measure(sqlite, folder);
  await sqlite.close();

  execFileSync('createdb', [...PG, database]);
  console.log(`PostgreSQL (${database}), ${appends} appends`);
  const postgres = await openStateStore(`postgres://postgres@127.0.0.1:5432/${database}`);
  await measure(postgres, folder);
  await postgres.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
  execFileSync('dropdb', [...PG, '--if-exists', database]);
}
