// Adds up every package's vitest JSON report into the one closing line CI reads. Before it: each package's wall time and
// the slowest test files, so a CI run that grows past its time budget says where the time went.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const folders = ['apps', 'packages'].flatMap((top) =>
  existsSync(top) ? readdirSync(top).map((name) => join(top, name)) : [],
);
folders.push('test');
let passed = 0;
let failed = 0;
let skipped = 0;
const packages = [];
const files = [];
for (const folder of folders) {
  const file = join(folder, '.vitest-report.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A suite that failed to load reports no failed test, only success === false.
  if (!report.success && report.numFailedTests === 0) failed += Math.max(1, report.numFailedTestSuites);
  skipped += report.numPendingTests + report.numTodoTests;
  const ends = report.testResults.map((r) => r.endTime ?? 0);
  if (ends.length > 0) packages.push({ folder, seconds: (Math.max(...ends) - report.startTime) / 1000 });
  for (const r of report.testResults)
    if (r.endTime !== undefined && r.startTime !== undefined)
      files.push({ name: r.name.slice(r.name.indexOf(folder)), seconds: (r.endTime - r.startTime) / 1000 });
}
const line = ({ seconds }) => `${Math.round(seconds).toString().padStart(6)} s`;
console.log('wall time per package:');
for (const p of packages) console.log(`${line(p)}  ${p.folder}`);
console.log('slowest test files:');
for (const f of files.sort((a, b) => b.seconds - a.seconds).slice(0, 12))
  console.log(`${line(f)}  ${f.name}`);
// The fault matrix's cells by operation × fault kind (cell names: "<operation>: <step> × … × <kind>"): the mean seconds
// of a cell, the figures test/src/fault-matrix-suite.ts weighs its shards by.
const cellTimes = new Map();
for (const folder of folders) {
  const file = join(folder, '.vitest-report.json');
  if (!existsSync(file)) continue;
  for (const r of JSON.parse(readFileSync(file, 'utf8')).testResults)
    for (const a of r.assertionResults ?? []) {
      const cell = /^([a-z-]+): .* × ([a-z-]+)$/.exec(a.title ?? '');
      if (!cell || !r.name.includes('fault-matrix.') || a.duration === undefined) continue;
      const key = `${cell[1]} × ${cell[2]}`;
      const t = cellTimes.get(key) ?? { n: 0, seconds: 0 };
      cellTimes.set(key, { n: t.n + 1, seconds: t.seconds + a.duration / 1000 });
    }
}
if (cellTimes.size > 0) {
  console.log('fault matrix, mean seconds per cell (cells):');
  for (const [key, t] of [...cellTimes].sort((a, b) => a[0].localeCompare(b[0])))
    console.log(`${(t.seconds / t.n).toFixed(1).padStart(7)} s  ${key} (${t.n})`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
