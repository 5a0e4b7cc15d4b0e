// Shared vitest settings: resolve workspace packages to their TypeScript sources
// (the "dlmigrate-source" export condition), so tests never need a prior build.
import { defineConfig } from 'vitest/config';

// Vitest also hands these to its workers as `node --conditions …`: keep "import"/"require" out of
// the list (Vite adds them per importer), or Node's require() inside CommonJS packages such as pg picks
// their ESM builds and fails ("Class extends value [object Module]").
const sourceConditions = ['dlmigrate-source', 'node'];

export function packageTestConfig(options: { timeoutMs?: number; serial?: boolean } = {}) {
  return defineConfig({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: ['dlmigrate-source'] } },
    test: {
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      testTimeout: options.timeoutMs ?? 30_000,
      hookTimeout: options.timeoutMs ?? 120_000,
      fileParallelism: !options.serial,
      pool: 'forks',
    },
  });
}
