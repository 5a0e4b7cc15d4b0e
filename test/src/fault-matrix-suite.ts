// The fault matrix as vitest tests: the cells of fault-matrix.ts split over SHARDS test files
// (fault-matrix.<i>.test.ts, counted by fault-matrix-shards.ts), which vitest runs at the same time in separate processes (test/vitest.config.ts, project
// "fault-matrix"), each against a world of its own — its own Samba lab instance, simulated tenant and state file — so
// the whole matrix takes a fraction of its serial time. Every shard prints its cells; fault-matrix.setup.ts prints the
// whole matrix's size and result (cells run / passed) once all shards are done.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { seedCloudDependants } from './cloud-dependants.js';
import { expectedFor, runCell, type Expected } from './fault-cell.js';
import {
  allCells,
  cellName,
  matrixSummary,
  passed,
  type Cell,
  type CellResult,
  type FaultKind,
} from './fault-matrix.js';
import type { OperationKind } from './fault-operations.js';
import { matrixShards } from './fault-matrix-shards.js';
import { useWorld } from './world.js';

/**
 * What a cell of each operation costs, relative to a recreate cell, fitted to the shard times of a CI run (a10e757:
 * six shards of 444–826 s with the former guesses — restore 2.2, update-address 2, enable-hybrid 1.8 — which left the
 * recreate shards the slowest). Since then scripts/test-summary.mjs prints the mean seconds of a cell per operation ×
 * fault kind at the end of every CI run: set these from those figures when the shards drift apart.
 */
const OPERATION_WEIGHT: Readonly<Record<OperationKind, number>> = {
  recreate: 1,
  convert: 1,
  restore: 1.6,
  'restore-convert': 1.6,
  'update-address': 1.4,
  'enable-hybrid': 0.9,
};

/**
 * What a cell of each fault kind costs, relative to a transient one (measured in CI, recreate cells): a permanent
 * failure mostly ends early in a rollback; a kill runs the operation in a child process and then resumes it.
 */
const KIND_WEIGHT: Readonly<Record<FaultKind, number>> = {
  transient: 1,
  permanent: 0.6,
  'kill-before': 1.1,
  'kill-after': 1.1,
};

const weightOf = (cell: Cell): number => OPERATION_WEIGHT[cell.operation] * KIND_WEIGHT[cell.kind];

/**
 * The cells of shard `shard` of `shards`: consecutive runs of cells of equal total weight, so a shard works on few
 * operations (each computes its reference run once per shard).
 */
function shardCells(shard: number, shards: number, cells: readonly Cell[]): Cell[] {
  const total = cells.reduce((sum, c) => sum + weightOf(c), 0);
  let before = 0;
  return cells.filter((c) => {
    const middle = before + weightOf(c) / 2;
    before += weightOf(c);
    return Math.min(shards - 1, Math.floor((middle / total) * shards)) === shard;
  });
}

export function defineMatrixShard(shard: number, shards = matrixShards()): void {
  const w = useWorld(`matrix-${shard}`, { seedTenant: seedCloudDependants });
  // FAULT_MATRIX_KINDS=transient,permanent: only those kinds; FAULT_MATRIX_ONLY=<regular expression>: only the cells
  // whose name matches (to look at a few while working on them). Both choose before the split, so every shard works.
  const kinds = process.env['FAULT_MATRIX_KINDS']?.split(',') as FaultKind[] | undefined;
  const only = process.env['FAULT_MATRIX_ONLY'];
  const chosen = allCells(kinds).filter((c) => only === undefined || new RegExp(only).test(cellName(c)));
  const cells = shardCells(shard, shards, chosen);
  const results: CellResult[] = [];
  const expected = new Map<OperationKind, Expected>();

  afterAll(() => {
    if (results.length === 0) return;
    process.stdout.write(`\n${matrixSummary(results, `fault matrix shard ${shard + 1}/${shards}`)}\n`);
    const dir = inject('faultMatrixResults');
    if (dir !== undefined)
      writeFileSync(
        join(dir, `shard-${shard}.json`),
        JSON.stringify(results.map((r) => ({ name: cellName(r.cell), passed: passed(r), end: r.end }))),
      );
  });

  describe(`fault matrix, shard ${shard + 1}/${shards}`, () => {
    it.each(cells.map((cell) => ({ name: cellName(cell), cell })))(
      '$name',
      async ({ cell }) => {
        let result: CellResult | undefined;
        try {
          if (!expected.has(cell.operation))
            expected.set(cell.operation, await expectedFor(w, cell.operation));
          result = await withinCellBudget(runCell(w, cell, expected.get(cell.operation)!));
        } finally {
          // A cell that threw counts as run and failed, so the totals never leave it out.
          results.push(result ?? { cell, fired: false, end: 'wrong', status: 'threw', resumes: 0, diff: [] });
        }
        expect(result.fired, 'the fault was never reached').toBe(true);
        expect(result.diff).toEqual([]);
        expect(passed(result), `${result.end} (status ${result.status})`).toBe(true);
      },
      CELL_TIMEOUT_MS,
    );
  });
}

/** How long vitest gives one cell. */
const CELL_TIMEOUT_MS = 300_000;

/**
 * A cell that has not ended shortly before vitest's own timeout fails here, so it is counted as run and failed in the
 * matrix totals: a test that vitest times out is abandoned without its `finally`, and the totals left it out.
 */
async function withinCellBudget<T>(cell: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const budget = CELL_TIMEOUT_MS - 15_000;
  try {
    return await Promise.race([
      cell,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the cell did not end within ${budget / 1000} s`)), budget);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
