import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.js';

// The tests drive the built `dlmigrate` binary, so it is compiled once before they run. Each test runs
// whole commands against a lab (a migration is several syncs and dozens of calls): 120 s, not the 30 s
// meant for single calls, so a machine shared with other jobs does not turn slowness into failures.
export default mergeConfig(packageTestConfig({ serial: true, timeoutMs: 120_000 }), {
  test: { globalSetup: ['./test/helpers/build.ts'] },
});
