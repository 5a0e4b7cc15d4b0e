// Planning a 10,000-group batch (issue 17): the layout (containment graph, cycles, levels, waves of the deletion
// threshold less its margin — core batch/plan.ts layOut) and its recording (one batch, one level per wave, one
// planned migration per group — recordBatch) in SQLite and in PostgreSQL, with the time and the memory of each part.
// The groups are made up in memory as the directory read (readBatchGroups) would return them: 7,500 leaves, 2,000
// middle groups of 3–4 leaves, 500 top groups of 4 middle ones — three levels. The directory read itself (one lookup
// and one memberOf search per group) is not part of this bench. Prints figures only.
//   node --import tsx --conditions=dlmigrate-source bench/plan.bench.ts [groups=10000] [threshold=500]
// PostgreSQL: a throw-away database on 127.0.0.1:5432 (user postgres), made with createdb/dropdb.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  layOut,
  layoutOf,
  recordBatch,
  resolveOptions,
  waveSize,
  type DirectoryGroup,
} from '@dlmigrate/core/testing';
import { openStateStore, type StateStore } from '@dlmigrate/state';

const TOTAL = Number(process.argv[2] ?? 10_000);
const THRESHOLD = Number(process.argv[3] ?? 500);
const PG = ['-h', '127.0.0.1', '-U', 'postgres'];
const MiB = 2 ** 20;

const dn = (name: string) => `CN=${name},OU=Groups,DC=lab,DC=test`;
const guid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Three levels: 75 % leaves, 20 % middle groups over the leaves, 5 % top groups over the middle ones. */
function directory(total: number): DirectoryGroup[] {
  const top = Math.floor(total * 0.05);
  const middle = Math.floor(total * 0.2);
  const leaves = total - top - middle;
  const group = (name: string, i: number, children: string[]): DirectoryGroup => ({
    address: `${name}@contoso.com`,
    line: i + 1,
    dn: dn(name),
    objectGuid: guid(i),
    childGroups: children.map((c) => ({
      dn: dn(c),
      objectGuid: c,
      address: `${c}@contoso.com`,
      kind: 'mail-enabled-group',
    })),
  });
  const groups: DirectoryGroup[] = [];
  for (let i = 0; i < leaves; i++) groups.push(group(`leaf${i}`, groups.length, []));
  for (let i = 0; i < middle; i++) {
    const from = Math.floor((i * leaves) / middle);
    const to = Math.floor(((i + 1) * leaves) / middle);
    const kids = Array.from({ length: to - from }, (_, k) => `leaf${from + k}`);
    groups.push(group(`mid${i}`, groups.length, kids));
  }
  for (let i = 0; i < top; i++) {
    const from = Math.floor((i * middle) / top);
    const to = Math.floor(((i + 1) * middle) / top);
    groups.push(
      group(
        `top${i}`,
        groups.length,
        Array.from({ length: to - from }, (_, k) => `mid${from + k}`),
      ),
    );
  }
  return groups;
}

const rss = () => process.memoryUsage().rss / MiB;
const heap = () => process.memoryUsage().heapUsed / MiB;

const groups = directory(TOTAL);
const { options } = resolveOptions({ nonSyncOu: 'OU=NonSync,DC=lab,DC=test' });
console.log(
  `batch plan of ${TOTAL} groups (deletion threshold ${THRESHOLD}, waves of ${waveSize(THRESHOLD)}); ` +
    `RSS before ${rss().toFixed(0)} MiB, heap ${heap().toFixed(0)} MiB`,
);
console.log('part                                   time      heap after   RSS after');
const line = (part: string, ms: number) =>
  console.log(
    `${part.padEnd(37)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${heap().toFixed(0).padStart(7)} MiB  ${rss().toFixed(0).padStart(6)} MiB`,
  );

let started = performance.now();
const layout = layOut(groups, false, THRESHOLD);
line('layout (graph, cycles, levels, waves)', performance.now() - started);
const levels = Object.values(layout.depth).reduce((max, d) => Math.max(max, d + 1), 0);
console.log(
  `  ${levels} levels, ${layout.waves.length} waves of ${layout.waves.map((w) => w.length).join(' / ')}, ` +
    `${Object.keys(layout.blocked).length} blocked`,
);

async function record(label: string, state: StateStore): Promise<void> {
  started = performance.now();
  const planned = await recordBatch(state, { layout, groups, options, notes: [] });
  line(`recorded (${label})`, performance.now() - started);
  started = performance.now();
  const batch = await state.getBatch(planned.batch.id);
  layoutOf(batch!);
  line(`read back and parsed (${label})`, performance.now() - started);
  console.log(`  ${planned.migrations.length} migrations in ${batch!.levels.length} levels`);
}

const folder = mkdtempSync(join(tmpdir(), 'dlmigrate-bench-plan-'));
const database = `dlmigrate_bench_plan_${randomBytes(4).toString('hex')}`;
try {
  const sqlite = await openStateStore(join(folder, 'plan.db'));
  await record('SQLite', sqlite);
  await sqlite.close();
  execFileSync('createdb', [...PG, database]);
  const postgres = await openStateStore(`postgres://postgres@127.0.0.1:5432/${database}`);
  await record('PostgreSQL', postgres);
  await postgres.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
  execFileSync('dropdb', [...PG, '--if-exists', database]);
}
console.log(`peak RSS of the process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
