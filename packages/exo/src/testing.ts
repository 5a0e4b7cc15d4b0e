// @dlmigrate/exo/testing — what tests and benchmarks use of this package beyond its product API (src/index.ts):
// a certificate from PEM text (the test worlds and benchmarks hold theirs in memory), the rate budgets
// shared per tenant (reset between benchmark runs), and the figures and cmdlet lists the benchmarks size their load by.
// Imported as '@dlmigrate/exo/testing' (package.json "exports", same dlmigrate-source condition as the main entry).
export { certificateFromPem } from './auth/certificate.js';
export { MAX_CALLS_IN_FLIGHT } from './exchange/concurrency.js';
export { forgetSharedRateBudgets } from './rate/registry.js';
export { OWNER_CMDLETS, RESTRICTION_CMDLETS, RESTRICTION_LINKS } from './exchange/cloud-dependants.js';
