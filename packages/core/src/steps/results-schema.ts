// What each migration step returned, as it comes back from the journal: parsed by the step's schema, not cast
// (stored/parse.ts). A result written by another version, damaged or edited by hand stops the run with
// STORED_DOCUMENT_INVALID before any step reads it, instead of a later step failing half-way on an undefined field.
// Objects are loose, as in engine/snapshot-schema.ts: a field this version does not list is kept. Fields marked
// optional in the result types are the ones older runs did not journal (steps/take-over.ts, steps/rewire-onprem.ts).
import { z } from 'zod';
import type { ResultSchemas } from '../saga/runner.js';
import { exchangeReference, groupIdentity } from '../references/capture-schema.js';
import type { MigrationStepResults } from './results.js';

const verify = z.looseObject({
  checked: z.number(),
  differences: z.number(),
  summary: z.string(),
  at: z.string(),
});

const rewired = z.looseObject({ rewired: z.number(), failed: z.number() });

const configValue = z.union([z.string(), z.array(z.string()), z.null()]);

/** The verify step's result (restore-verify returns the same shape). */
export const VERIFY_RESULT_SCHEMA = verify satisfies z.ZodType<MigrationStepResults['verify']>;

/** The rewire-cloud step's result (restore-rewire-cloud extends it). */
export const REWIRE_CLOUD_RESULT_SCHEMA = rewired satisfies z.ZodType<MigrationStepResults['rewire-cloud']>;

export const MIGRATION_RESULT_SCHEMAS: ResultSchemas<MigrationStepResults> = {
  capture: z.looseObject({
    groupDn: z.string().nullable(),
    objectGuid: z.string().nullable(),
    cloudId: z.string().nullable(),
  }),
  validate: z.looseObject({
    cloudType: z.enum(['Distribution', 'Security']),
    routingDomain: z.string(),
    warnings: z.number(),
  }),
  'parity-check': z.looseObject({ compared: z.number() }),
  convert: z.looseObject({ identity: z.string(), routingAddress: z.string() }),
  stage: z.looseObject({ name: z.string(), identity: z.string(), initialAddress: z.string() }),
  park: z.looseObject({ originalDn: z.string(), originalParentDn: z.string(), parkedDn: z.string() }),
  'await-deletion': z.looseObject({
    deletedId: z.string(),
    polls: z.number(),
    lastPresentAt: z.string().nullable().optional(),
    goneAt: z.string().optional(),
  }),
  'take-over': z.looseObject({
    addresses: z.array(z.string()),
    routingAddress: z.string(),
    name: z.string(),
    primary: z.string().optional(),
    convergedAt: z.string().optional(),
    conflictRetries: z.number().optional(),
  }),
  'rewire-config': z.looseObject({
    target: groupIdentity.nullable(),
    outcomes: z.array(
      z.looseObject({
        reference: exchangeReference,
        outcome: z.enum(['already-right', 'rewired', 'no-longer-referenced', 'failed']),
        before: configValue.optional(),
        after: configValue.optional(),
      }),
    ),
    rewired: z.number(),
    failed: z.number(),
  }),
  dispose: z.looseObject({ disposition: z.enum(['retain', 'delete']), retainedDn: z.string().optional() }),
  'routing-contact': z.looseObject({ dn: z.string(), mail: z.string(), created: z.boolean() }),
  'hybrid-mail-flow': z.looseObject({ dn: z.string(), created: z.boolean() }),
  'rewire-onprem': z.looseObject({
    rewired: z.number(),
    failed: z.number(),
    unrewired: z.array(z.string()).optional(),
  }),
  'rewire-cloud': rewired,
  'final-sync': z.looseObject({
    dependants: z.number(),
    sync: z
      .looseObject({
        triggeredAt: z.string(),
        by: z.enum(['migration', 'level']),
        settled: z.boolean(),
        polls: z.number(),
      })
      .nullable(),
  }),
  verify,
  report: z.looseObject({ status: z.enum(['completed', 'completed_with_warnings']) }),
};
