// The fault matrix over the recreate strategy: every cell of fault-matrix.ts run on the lab and the simulated tenant,
// each ending in a state compared by a full directory + tenant diff. Prints every cell and "cells run / passed".
// Shards: FAULT_MATRIX_SHARD=i/n runs every n-th cell from i (CI runs the shards in parallel, each in its own lab:
// FAULT_MATRIX_LAB names it), so the whole matrix stays fast enough for CI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cellName,
  cellsOf,
  matrixSummary,
  passed,
  RECREATE_TOUCHES,
  runCell,
  viewsOf,
  type CellResult,
  type FaultKind,
  type Views,
} from './fault-matrix.js';
import { useWorld } from './world.js';

const w = useWorld(process.env['FAULT_MATRIX_LAB'] ?? 'core');
const [shard, shards] = (process.env['FAULT_MATRIX_SHARD'] ?? '0/1').split('/').map(Number) as [
  number,
  number,
];
// FAULT_MATRIX_KINDS=transient,permanent runs only those kinds (e.g. the transient cells: a blip is retried).
const kinds = process.env['FAULT_MATRIX_KINDS']?.split(',') as FaultKind[] | undefined;
const cells = cellsOf(RECREATE_TOUCHES, kinds).filter((_, i) => i % shards === shard);
const results: CellResult[] = [];
let baseline: Views;
let reference: Views;

beforeAll(async () => {
  await w.reset();
  baseline = await viewsOf(w);
  const outcome = await w.engine.migrate('sales@contoso.com', { nonSyncOu: w.objects['ous.nonSync']!.dn });
  expect(outcome.status).toBe('completed');
  reference = await viewsOf(w);
}, 300_000);

afterAll(() => {
  if (results.length > 0) process.stdout.write(`\n${matrixSummary(results)}\n`);
});

describe('fault matrix: recreate', () => {
  it.each(cells.map((cell) => ({ name: cellName(cell), cell })))(
    '$name',
    async ({ cell }) => {
      const result = await runCell(w, cell, baseline, reference);
      results.push(result);
      expect(result.fired, 'the fault was never reached').toBe(true);
      expect(result.diff).toEqual([]);
      expect(passed(result), `${result.end} (status ${result.status})`).toBe(true);
    },
    240_000,
  );
});
