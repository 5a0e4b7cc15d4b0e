// The session modules (config, secrets, run log and engine opened together; progress and outcome printing),
// imported on demand by the commands that run migrations.
export { withSession, type Session } from './session.js';
export { migrationOptions } from './open-engine.js';
export { eventPrinter, finishOutcome, withStopSignals, type SecretFlags } from './run.js';
export { runBatchCommand, batchExitCode, printBatchStopped, type BatchInput } from './batch.js';
