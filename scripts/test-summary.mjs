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
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
