import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.js';

// The tests drive the built `dlmigrate` binary, so it is compiled once before they run.
export default mergeConfig(packageTestConfig({ serial: true }), {
  test: { globalSetup: ['./test/helpers/build.ts'] },
});
