// What each step of a migration hands to the steps after it: step name → the type its run returns. Steps read an
// earlier result with `results.get('stage')`, typed from this map (the saga stores them in the journal by name).
// A new step adds its row here; the engine's step lists accept only steps named in this map.
import type { CloudTarget } from '../engine/cloud-target.js';
import type { MigrationContext } from '../engine/context.js';
import type { SagaOutcome, SagaStep, StepResults } from '../saga/runner.js';
import type { AwaitDeletionResult } from './await-deletion.js';
import type { CaptureResult } from './capture.js';
import type { DisposeResult } from './dispose.js';
import type { FinalSyncResult } from './final-sync.js';
import type { HybridMailFlowResult } from './hybrid-mail-flow.js';
import type { ParityCheckResult } from './parity-check.js';
import type { ParkResult } from './park.js';
import type { ReportResult } from './report.js';
import type { RewireCloudResult } from './rewire-cloud.js';
import type { RewireConfigResult } from './rewire-config.js';
import type { RewireOnPremResult } from './rewire-onprem.js';
import type { RoutingContactResult } from './routing-contact.js';
import type { StageResult } from './stage.js';
import type { TakeOverResult } from './take-over.js';
import type { ValidateResult } from './validate.js';
import type { VerifyResult } from '../verify/verify.js';

export interface MigrationStepResults {
  capture: CaptureResult;
  validate: ValidateResult;
  'parity-check': ParityCheckResult;
  convert: CloudTarget;
  stage: StageResult;
  park: ParkResult;
  'await-deletion': AwaitDeletionResult;
  'take-over': TakeOverResult;
  'rewire-config': RewireConfigResult;
  dispose: DisposeResult;
  'routing-contact': RoutingContactResult;
  'hybrid-mail-flow': HybridMailFlowResult;
  'rewire-onprem': RewireOnPremResult;
  'rewire-cloud': RewireCloudResult;
  'final-sync': FinalSyncResult;
  verify: VerifyResult;
  report: ReportResult;
}

type MigrationStepName = keyof MigrationStepResults;

/** The step named `K` of a migration (any step, when `K` is left out). */
export type MigrationStep<K extends MigrationStepName = MigrationStepName> = SagaStep<
  MigrationContext,
  MigrationStepResults,
  K
>;

export type MigrationResults = StepResults<MigrationStepResults>;
export type MigrationSagaOutcome = SagaOutcome<MigrationStepResults>;
