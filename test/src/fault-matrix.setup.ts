// Global setup of the "fault-matrix" project (test/vitest.config.ts): gives the shards a folder for their results and,
// once every shard is done, prints the size and result of the whole matrix (cells run / passed) and its wall time.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where each shard of the fault matrix writes its results (fault-matrix-suite.ts). */
    faultMatrixResults: string;
  }
}

interface ShardResult {
  readonly name: string;
  readonly passed: boolean;
  readonly end: string;
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'dlmigrate-fault-matrix-'));
  project.provide('faultMatrixResults', dir);
  const started = Date.now();
  return () => {
    const results = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ShardResult[]);
    rmSync(dir, { recursive: true, force: true });
    if (results.length === 0) return;
    const failed = results.filter((r) => !r.passed);
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stdout.write(
      `\nfault matrix: ${results.length} cells run, ${results.length - failed.length} passed, in ${seconds} s wall time` +
        `${failed.length > 0 ? `\n  failed: ${failed.map((r) => r.name).join('\n          ')}` : ''}\n`,
    );
  };
}
