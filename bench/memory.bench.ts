// Peak memory of one migration by member count (issue 17): the big-groups lab fixture (nested groups of the given
// sizes, seeded offline once and reused), an in-process simulated tenant synced from it, and each group migrated by
// a runner in its own process (bench/memory-child.ts) that reports its peak RSS. Prints figures only.
//   node --import tsx --conditions=dlmigrate-source bench/memory.bench.ts [sizes=10000,20000,40000,100000]
// The lab instance is named after the sizes (bench-mem-10k-20k-40k-100k) unless LAB names one seeded with the same
// sizes; `lab down --name …` removes it. RUN=10000,20000 migrates only those of the seeded sizes; MAX_OLD_SPACE_MB
// gives the runner a heap limit (a migration that does not fit dies, and the bench says so): a list such as
// MAX_OLD_SPACE_MB=none,256 migrates each size once per limit ("none": Node's default), side by side. RUNNER_FLAGS
// adds Node flags to the runner (--expose-gc: the heap each step leaves alive); CHILD_STDERR=1 shows its stderr;
// CHILD_OUT=<file> keeps its stdout, where each step's start and end is a line (RUNNER_FLAGS=--trace-gc: the heap
// each collection left alive, step by step). The runner bounds its heap's growth as the command line does
// (boundHeapGrowth); NO_HEAP_BOUND=1 leaves V8's default, to compare.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudSim } from '@dlmigrate/cloud-sim';
import { bigGroupAddress, bigGroupsFixture, Lab } from '@dlmigrate/lab';
import { simulatedContoso } from '../test/src/tenant.js';
import { childConfigOf, type ChildConfig } from '../test/src/world.js';

const sizes = (process.argv[2] ?? '10000,20000,40000,100000').split(',').map((n) => Number(n.trim()));
// Sizes in thousands where they are whole thousands: a lab name has at most 31 characters (bench-mem-10k-20k-40k-100k).
const labName =
  process.env['LAB'] ??
  `bench-mem-${sizes.map((n) => (n % 1000 === 0 ? `${n / 1000}k` : String(n))).join('-')}`;
// Run only some of the seeded sizes (e.g. RUN=10000,20000 in the lab of all four); default: all.
const runSizes = process.env['RUN'] ? process.env['RUN'].split(',').map(Number) : sizes;
// Heap limits for the runner (MiB), to show the migration fits in them: --max-old-space-size in the child.
const heapLimits = (process.env['MAX_OLD_SPACE_MB'] ?? 'none')
  .split(',')
  .map((l) => l.trim())
  .map((l) => (l === 'none' || l === '' ? undefined : l));
// More Node flags for the runner, e.g. RUNNER_FLAGS=--expose-gc to print the heap each step leaves alive.
const runnerFlags = (process.env['RUNNER_FLAGS'] ?? '').split(' ').filter((f) => f !== '');
const CHILD = fileURLToPath(new URL('./memory-child.ts', import.meta.url));

const seedStarted = performance.now();
const lab = await Lab.ensure({ name: labName, fixture: bigGroupsFixture(sizes) });
await lab.reset(); // the first sync must see the seeded directory, not what an earlier run migrated
const env = lab.env();
const objects = lab.seeded()!.objects;
console.log(`lab ${labName} ready in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);

const sim = await CloudSim.start();
try {
  const contoso = simulatedContoso(sim, env, objects, { subject: 'dlmigrate memory bench' });
  const syncStarted = performance.now();
  const first = await sim.runSync(contoso.tenant.id);
  if (first.status !== 'success')
    throw new Error(`first sync: ${first.status} ${JSON.stringify(first.errors).slice(0, 2000)}`);
  console.log(
    `first sync: ${first.status} in ${((performance.now() - syncStarted) / 1000).toFixed(0)} s; runner per migration in its own process`,
  );
  const baseline = sim.snapshot();
  const config = childConfigOf(
    labName,
    sim,
    contoso,
    join(mkdtempSync(join(tmpdir(), 'dlmigrate-bench-mem-')), 'state.db'),
    sizes,
  );
  console.log(
    'members  heap limit   peak RSS   at start   heap at end   wall     status      load avg (1/5/15 min)',
  );
  // One column per run in the tables below: the size, and the heap limit when one was given.
  const stepsBySize: Array<[string, ReadonlyArray<[string, number]>]> = [];
  const heapBySize: Array<[string, ReadonlyArray<[string, number, number]>]> = [];
  const liveBySize: Array<[string, ReadonlyArray<[string, number]>]> = [];
  for (const size of runSizes)
    for (const heapLimit of heapLimits) {
      await lab.reset();
      sim.restore(baseline);
      const result = await runChild(
        { ...config, address: bigGroupAddress(size), nonSyncOu: objects['ous.nonSync']!.dn },
        heapLimit,
      );
      const column = heapLimit === undefined ? String(size) : `${size}/${heapLimit}`;
      console.log(
        `${String(size).padStart(7)}  ${(heapLimit === undefined ? 'default' : `${heapLimit} MiB`).padStart(10)}  ${result.maxRssMiB.toFixed(0).padStart(6)} MiB  ${result.baseRssMiB.toFixed(0).padStart(5)} MiB  ${result.heapUsedMiB.toFixed(0).padStart(8)} MiB  ${result.seconds.toFixed(0).padStart(5)} s  ${`${result.status}${result.findings ? ` (${result.findings} findings)` : ''}`.padEnd(10)}  ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' / ')}  heap growth: ${result.heapGrowth ?? 'V8 default'}`,
      );
      stepsBySize.push([column, result.steps]);
      heapBySize.push([column, result.heapPeaks]);
      liveBySize.push([column, result.liveAfter ?? []]);
    }
  // Columns as wide as their labels (a size, or size/heap limit).
  const width = (least: number) => Math.max(least, ...stepsBySize.map(([column]) => column.length));
  // Where it grows: the peak RSS (MiB) reached by the end of each step, per size.
  console.log(`peak RSS by the end of each step (MiB): ${stepsBySize.map(([s]) => s).join(' / ')}`);
  const names = [...new Set(stepsBySize.flatMap(([, steps]) => steps.map(([name]) => name)))];
  for (const name of names) {
    const cells = stepsBySize.map(([, steps]) => String(steps.find(([n]) => n === name)?.[1] ?? '-'));
    console.log(`  ${name.padEnd(20)} ${cells.map((c) => c.padStart(width(6))).join(' ')}`);
  }
  // Within each step, the highest JS heap (heapUsed) and memory outside the heap (RSS − heapTotal: Buffers, TLS,
  // SQLite), sampled every 50 ms: which of the two a step's growth is.
  console.log(
    `highest heap used / outside the heap during each step (MiB): ${heapBySize.map(([s]) => s).join(' / ')}`,
  );
  for (const name of names) {
    const cells = heapBySize.map(([, steps]) => {
      const row = steps.find(([n]) => n === name);
      return row ? `${row[1]}/${row[2]}` : '-';
    });
    console.log(`  ${name.padEnd(20)} ${cells.map((c) => c.padStart(width(9))).join(' ')}`);
  }
  if (liveBySize.some(([, steps]) => steps.length > 0)) {
    console.log(
      `heap alive when each step ends, after a full collection (MiB): ${liveBySize.map(([s]) => s).join(' / ')}`,
    );
    for (const name of names) {
      const cells = liveBySize.map(([, steps]) => String(steps.find(([n]) => n === name)?.[1] ?? '-'));
      console.log(`  ${name.padEnd(20)} ${cells.map((c) => c.padStart(width(6))).join(' ')}`);
    }
  }
} finally {
  await sim.stop();
}

interface ChildResult {
  readonly status: string;
  readonly findings: number;
  readonly seconds: number;
  readonly maxRssMiB: number;
  readonly heapUsedMiB: number;
  readonly baseRssMiB: number;
  readonly steps: ReadonlyArray<[string, number]>;
  readonly heapPeaks: ReadonlyArray<[string, number, number]>;
  /** Only with RUNNER_FLAGS=--expose-gc. */
  readonly liveAfter?: ReadonlyArray<[string, number]>;
  /** How far the runner's heap may grow past what is alive (boundHeapGrowth, or "V8 default" with NO_HEAP_BOUND=1). */
  readonly heapGrowth?: string;
}

function runChild(
  input: ChildConfig & { address: string; nonSyncOu: string },
  heapLimit: string | undefined,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const flags = [...(heapLimit ? [`--max-old-space-size=${heapLimit}`] : []), ...runnerFlags];
    const child = spawn(
      process.execPath,
      [...flags, '--import', 'tsx', '--conditions=dlmigrate-source', CHILD],
      {
        env: { ...process.env, DLMIGRATE_CHILD: JSON.stringify(input) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // Kept (a "heap out of memory" death is a figure, not a failed bench) and, with CHILD_STDERR, shown as it comes.
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (process.env['CHILD_STDERR']) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (process.env['CHILD_OUT']) writeFileSync(process.env['CHILD_OUT'], out);
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as ChildResult);
      else if (heapLimit && /heap out of memory/i.test(err))
        // Over the heap limit: a figure too (the migration does not fit), not a failed bench.
        resolve({
          status: `out of heap (${heapLimit} MiB)`,
          findings: 0,
          seconds: 0,
          maxRssMiB: 0,
          heapUsedMiB: 0,
          baseRssMiB: 0,
          steps: [],
          heapPeaks: [],
        });
      else reject(new Error(`memory child ended with ${code}: ${err || out}`));
    });
  });
}
