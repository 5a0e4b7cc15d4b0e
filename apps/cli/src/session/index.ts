// The session modules (config, secrets, run log and engine opened together; progress and outcome printing),
// imported on demand by the commands that run migrations.
export { withSession, type Session } from './session.js';
export { migrationOptions, openEngine, openState, stateLocation, syncTriggerConfig } from './open-engine.js';
export {
  eventPrinter,
  exitCodeFor,
  finishOutcome,
  engineSecrets,
  withStopSignals,
  type SecretFlags,
} from './run.js';
export {
  runBatchCommand,
  batchExitCode,
  batchEventPrinter,
  printBatchStopped,
  type BatchInput,
} from './batch.js';
