import { configDefaults, defineConfig } from 'vitest/config';
import { packageTestConfig } from '../vitest.shared.js';
import { matrixShards } from './src/fault-matrix-shards.js';

// Two projects, each complete in itself (a project that `extends` the root config would add its include list to the
// root's). "e2e": the scenarios, two files at a time (E2E_WORKERS): a scenario spends most of its time waiting — for
// the simulated sync, an address quarantine, a child process — so two of them keep the two cores of a CI machine
// busier than one; files that share the contoso lab get an instance per worker (src/world.ts sharedLab), files with a
// lab of their own keep it. "fault-matrix": the shards of
// the fault matrix (src/fault-matrix-suite.ts) and its batch cells (src/fault-matrix.batch.test.ts), all at once, each
// in a lab instance of its own — a file that waited for a free worker would start only when the first shard ends and
// become the matrix's tail; it runs after "e2e" (groupOrder), so the two never compete for the machine.
const MATRIX = 'src/fault-matrix.*.test.ts';
const shards = matrixShards();
const MATRIX_FILES = shards + 1; // the shards and fault-matrix.batch.test.ts
const base = packageTestConfig({ serial: true });
const E2E_WORKERS = 2;

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    maxWorkers: MATRIX_FILES,
    projects: [
      {
        ...base,
        test: {
          ...base.test,
          name: 'e2e',
          include: ['src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, MATRIX],
          fileParallelism: true,
          maxWorkers: E2E_WORKERS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        ...base,
        test: {
          ...base.test,
          name: 'fault-matrix',
          include: [MATRIX],
          fileParallelism: true,
          maxWorkers: MATRIX_FILES,
          globalSetup: ['src/fault-matrix.setup.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
