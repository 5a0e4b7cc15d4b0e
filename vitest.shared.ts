// Shared vitest settings: resolve workspace packages to their TypeScript sources
// (the "dlmigrate-source" export condition), so tests never need a prior build.
import { defineConfig } from 'vitest/config';

export const sourceConditions = ['dlmigrate-source', 'module', 'node', 'import', 'default'];

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
