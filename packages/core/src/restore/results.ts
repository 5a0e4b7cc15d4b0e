// What each step of a restore hands to the steps after it: step name → the type its run returns, as
// steps/results.ts does for a migration. A restore runs on the migration's journal, so its steps read the migration's
// results too (`results.get('rewire-config')`); the restore's step list accepts only steps named in this map.
import type { MigrationContext } from '../engine/context.js';
import type { SagaStep } from '../saga/runner.js';
import type { MigrationStepResults } from '../steps/results.js';
import type { VerifyResult } from '../verify/verify.js';
import type {
  HandBackResult,
  RemoveCloudResult,
  RemoveHybridResult,
  RestoreCloudLinksResult,
  RestoreGroupResult,
  ResyncResult,
} from './steps.js';

export interface RestoreStepResults {
  'restore-remove-hybrid': RemoveHybridResult;
  'restore-remove-cloud': RemoveCloudResult;
  'restore-group': RestoreGroupResult;
  'restore-hand-back': HandBackResult;
  'restore-resync': ResyncResult;
  'restore-rewire-cloud': RestoreCloudLinksResult;
  'restore-verify': VerifyResult;
}

/** The journal a restore reads: the migration's results, then the restore's own. */
type RestoreJournalResults = MigrationStepResults & RestoreStepResults;

/** The step named `K` of a restore (any step, when `K` is left out). */
export type RestoreStep<K extends keyof RestoreStepResults = keyof RestoreStepResults> = SagaStep<
  MigrationContext,
  RestoreJournalResults,
  K
>;
