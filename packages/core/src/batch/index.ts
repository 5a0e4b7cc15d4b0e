// Batches (issue 8): plan a list of groups into levels and sync waves, then run them with one sync per wave.
export * from './graph.js';
export * from './input.js';
export * from './directory.js';
export * from './plan.js';
export * from './events.js';
export * from './runner.js';
export * from './batch.js';
