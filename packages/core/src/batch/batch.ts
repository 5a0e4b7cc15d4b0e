// One call for the CLI's `batch` command: plan the list, then run it. A bad list throws BatchInputError (every
// problem listed) before anything is recorded; resuming a batch later is runBatch with its id.
import type { ActiveDirectory } from '@dlmigrate/ad';
import type { EngineDeps } from '../engine/context.js';
import { planBatchRun, type BatchRequest, type PlannedBatch } from './plan.js';
import { runBatch, type BatchOutcome, type BatchRunOptions } from './runner.js';

export async function migrateBatch(
  deps: EngineDeps & { readonly ad: ActiveDirectory; readonly runnerId: string },
  request: BatchRequest,
  options: BatchRunOptions = {},
): Promise<{ planned: PlannedBatch; outcome: BatchOutcome }> {
  const planned = await planBatchRun(deps, request);
  return { planned, outcome: await runBatch(deps, planned.batch.id, options) };
}
