// Adds up every package's vitest JSON report into the one closing line CI reads.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const folders = ['apps', 'packages'].flatMap((top) =>
  existsSync(top) ? readdirSync(top).map((name) => join(top, name)) : [],
);
folders.push('test');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const folder of folders) {
  const file = join(folder, '.vitest-report.json');
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A suite that failed to load reports no failed test, only success === false.
  if (!report.success && report.numFailedTests === 0) failed += Math.max(1, report.numFailedTestSuites);
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
