// What the project dashboard (`dlmigrate report --all`) costs for a large project: a state store holding one batch of
// N groups over several levels, each migration with a recreate-shaped journal, a finding on every tenth and a stored
// report, then loadProjectRecords (the reads) and buildProject (the aggregation), on both engines. Prints figures only.
//   node --import tsx --conditions=dlmigrate-source bench/dashboard.bench.ts [groups]
// PostgreSQL: a throw-away database on 127.0.0.1:5432 (user postgres), made with createdb/dropdb.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildProject, loadProjectRecords } from '@dlmigrate/core';
import { openStateStore, type StateStore } from '@dlmigrate/state';

const groups = Number(process.argv[2] ?? 1000);
const LEVELS = 4;
const STEPS = ['capture', 'validate', 'stage', 'park', 'await-deletion', 'take-over', 'dispose', 'report'];
const PG = ['-h', '127.0.0.1', '-U', 'postgres'];

async function ms<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const value = await work();
  return [value, Number(process.hrtime.bigint() - started) / 1e6];
}

async function seed(store: StateStore): Promise<number> {
  const levels = Array.from({ length: LEVELS }, (_, level) =>
    Array.from({ length: Math.ceil(groups / LEVELS) }, (_, i) => ({
      group: { address: `g${level}-${i}@contoso.com` },
      strategy: 'recreate' as const,
    })),
  );
  const [{ migrations }, took] = await ms(async () => {
    const created = await store.createBatch({ input: {}, levels });
    for (const [i, m] of created.migrations.entries()) {
      for (const step of STEPS) {
        await store.appendJournal(m.id, { step, event: 'started' });
        await store.appendJournal(m.id, { step, event: 'completed', data: { result: {} } });
      }
      if (i % 10 === 0)
        await store.addFindings(m.id, [
          {
            code: 'CLOUD_REWIRE_FAILED',
            severity: 'needs-action',
            message: 'bench',
            subject: m.group.address,
          },
        ]);
      await store.putReport(m.id, { kind: 'migration', id: m.id, group: { address: m.group.address } });
    }
    return created;
  });
  console.log(
    `  seeded ${migrations.length} migrations × ${STEPS.length * 2} journal entries in ${took.toFixed(0)} ms`,
  );
  return migrations.length;
}

async function measure(store: StateStore): Promise<void> {
  const count = await seed(store);
  const [records, read] = await ms(() => loadProjectRecords(store));
  const [model, built] = await ms(async () => buildProject(records));
  console.log(
    `  loadProjectRecords ${read.toFixed(0).padStart(6)} ms (${((read / count) * 1000).toFixed(0)} µs per migration)`,
  );
  console.log(
    `  buildProject       ${built.toFixed(0).padStart(6)} ms · ${model.timeline.length} timeline lanes, ${model.totals.outages} outages, ${model.findings.length} finding codes`,
  );
}

const folder = mkdtempSync(join(tmpdir(), 'dlmigrate-bench-'));
const database = `dlmigrate_bench_${randomBytes(4).toString('hex')}`;
try {
  console.log(`SQLite, ${groups} groups in ${LEVELS} levels`);
  const sqlite = await openStateStore(join(folder, 'bench.db'));
  await measure(sqlite);
  await sqlite.close();

  execFileSync('createdb', [...PG, database]);
  console.log(`PostgreSQL (${database}), ${groups} groups in ${LEVELS} levels`);
  const postgres = await openStateStore(`postgres://postgres@127.0.0.1:5432/${database}`);
  await measure(postgres);
  await postgres.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
  execFileSync('dropdb', [...PG, '--if-exists', database]);
}
