// How many shards the fault matrix has: one per file src/fault-matrix.<i>.test.ts. Read by test/vitest.config.ts (the
// matrix project's workers) and by fault-matrix-suite.ts (how the cells are split), so adding a file is all it takes.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SHARD_FILE = /^fault-matrix\.\d+\.test\.ts$/;

export function matrixShards(): number {
  return readdirSync(dirname(fileURLToPath(import.meta.url))).filter((f) => SHARD_FILE.test(f)).length;
}
