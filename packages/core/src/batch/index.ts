// Batches (issue 8): a list of groups planned into dependency levels and sync waves, then run with ONE sync per wave.
//
//   planBatchRun({ ad, state }, { groups, options, deletionThreshold?, deletionMargin? }) → PlannedBatch (BatchInputError
//                                                                            on a bad list; = layOutBatch + recordBatch)
//   runBatch({ ...engineDeps, runnerId }, batchId, { onEvent? })           → BatchOutcome   (also resumes; any number of
//                                                                            runner processes may run it on one store)
//   migrateBatch(deps, request, runOptions)                                 → both in one call
//
// Pure parts: parseGroupList (list / CSV), layOut (graph → levels → waves), planBatch / findCycles / splitIntoWaves.
export * from './graph.js';
export * from './input.js';
export * from './directory.js';
export * from './plan.js';
export * from './plan-layout.js';
export * from './events.js';
export * from './runner.js';
export * from './batch.js';
export { retryFailedGroups, type BatchRetryDecision } from './retry.js';
