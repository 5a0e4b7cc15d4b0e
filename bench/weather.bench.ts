// Issue 15's benchmarks side by side in one run, their figures in one table at the end:
//   1. a 50-group batch with the tenant throttled to 2 calls/s and an asynchronous sync (bench/batch.bench.ts 50 2/1/0,
//      SYNC=async): completed / failed, time, 429s — target 50 / 0;
//   2. the outage of 10 single migrations under an asynchronous sync (bench/outage.bench.ts 10): p50 / p95;
//   3. a 1,000-group batch with 150 ms Exchange Online latency and one straggler per wave (bench/batch.bench.ts 1000,
//      SYNC=async LATENCY_MS=150 STRAGGLER_MS=30000): outage p50 / p95 (deletion seen → take-over converged, stragglers
//      excluded; target p95 ≤ 5 s), total time (target < 30 min), Exchange calls per group.
// Each runs in a process of its own, one after the other (each prints its own figures as it goes; their headline
// figures come back as JSON through FIGURES_FILE). The machine may be shared: the load average is printed with each.
// Run: node --import tsx --conditions=dlmigrate-source bench/weather.bench.ts [groups=1000] [singles=10] [throttled=50]
//   (the size of the third batch, the number of single migrations, the size of the throttled batch: `200 2 5` is a
//   cheap first look). Env LAB: the lab instance every one of them uses
//   (each resets it; default: batch.bench's `batch` and outage.bench's `core`). Prints figures, asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GROUPS = Number(process.argv[2] ?? 1000);
const SINGLES = Number(process.argv[3] ?? 10);
const THROTTLED = Number(process.argv[4] ?? 50);
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'dlmigrate-weather-'));

interface Summary {
  readonly groups: number;
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly maxSeconds: number;
}
interface BatchFigures {
  readonly groups: number;
  readonly byStatus: Record<string, number>;
  readonly totalSeconds: number;
  readonly exchangeCallsPerGroup: number;
  readonly throttled: number;
  readonly outage: Summary | null;
  readonly trueOutage: Summary | null;
  readonly loadBefore: string;
  readonly loadAfter: string;
}
interface OutageFigures {
  readonly runs: number;
  readonly outage: Summary | null;
  readonly loadBefore: string;
  readonly loadAfter: string;
}

/** Runs one benchmark with its output shown as it comes; its figures, or null when it wrote none (it failed). */
function run<T>(title: string, script: string, args: string[], env: Record<string, string>): T | null {
  const figures = join(dir, `${script}-${args.join('-').replaceAll('/', '_')}.json`);
  console.log(
    `\n── ${title}: ${script} ${args.join(' ')} ${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=dlmigrate-source', join(here, script), ...args],
    { stdio: 'inherit', env: { ...process.env, ...env, FIGURES_FILE: figures } },
  );
  if (child.status !== 0) console.log(`(${script} ended with ${child.status ?? child.signal})`);
  try {
    return JSON.parse(readFileSync(figures, 'utf8')) as T;
  } catch {
    return null;
  }
}

const started = Date.now();
const throttled = run<BatchFigures>('throttled batch', 'batch.bench.ts', [String(THROTTLED), '2/1/0'], {
  SYNC: 'async',
});
const singles = run<OutageFigures>('single migrations', 'outage.bench.ts', [String(SINGLES)], {});
const big = run<BatchFigures>('big batch', 'batch.bench.ts', [String(GROUPS)], {
  SYNC: 'async',
  LATENCY_MS: '150',
  STRAGGLER_MS: '30000',
});
rmSync(dir, { recursive: true, force: true });

const s = (n: number) => `${n.toFixed(2)} s`;
const percentiles = (o: Summary | null) =>
  o === null ? 'none measured' : `p50 ${s(o.p50Seconds)}, p95 ${s(o.p95Seconds)} (${o.groups})`;
const counts = (f: BatchFigures) => {
  const completed = Object.entries(f.byStatus)
    .filter(([status]) => status.startsWith('completed'))
    .reduce((sum, [, n]) => sum + n, 0);
  return `${completed} completed / ${f.groups - completed} not`;
};
const minutes = (seconds: number) => `${(seconds / 60).toFixed(1)} min`;
const load = (f: { loadBefore: string; loadAfter: string }) => `${f.loadBefore} → ${f.loadAfter}`;
const failed = '(no figures: the benchmark failed)';
const rows: Array<readonly [string, string, string, string]> = [
  ...(throttled === null
    ? [[`${THROTTLED} groups at 2 calls/s`, failed, '', ''] as const]
    : ([
        [`${THROTTLED} groups at 2 calls/s`, 'groups', counts(throttled), `${THROTTLED} / 0`],
        ['', 'time', minutes(throttled.totalSeconds), ''],
        ['', '429s (simulator)', String(throttled.throttled), ''],
        ['', 'load average', load(throttled), ''],
      ] as const)),
  ...(singles === null
    ? [[`${SINGLES} single migrations`, failed, '', ''] as const]
    : ([
        [`${SINGLES} single migrations`, 'outage', percentiles(singles.outage), ''],
        ['', 'load average', load(singles), ''],
      ] as const)),
  ...(big === null
    ? [[`${GROUPS} groups, 150 ms`, failed, '', ''] as const]
    : ([
        [`${GROUPS} groups, 150 ms`, 'groups', counts(big), ''],
        ['', 'outage, stragglers excluded', percentiles(big.outage), 'p95 ≤ 5 s'],
        ['', 'removed from EXO → converged', percentiles(big.trueOutage), ''],
        ['', 'total time', minutes(big.totalSeconds), '< 30 min'],
        ['', 'Exchange calls per group', big.exchangeCallsPerGroup.toFixed(1), ''],
        ['', 'load average', load(big), ''],
      ] as const)),
];
const header = ['benchmark', 'figure', 'measured', 'target'] as const;
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: readonly string[]) =>
  cells
    .map((c, i) => c.padEnd(widths[i]!))
    .join('  ')
    .trimEnd();
console.log(`\nissue 15's benchmarks, ${minutes((Date.now() - started) / 1000)} in all`);
console.log(line(header));
console.log(line(widths.map((w) => '─'.repeat(w))));
for (const row of rows) console.log(line(row));
