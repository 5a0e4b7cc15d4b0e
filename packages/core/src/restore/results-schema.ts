// What each restore step returned, as it comes back from the journal: parsed by the step's schema, not cast, as
// steps/results-schema.ts does for a migration's steps (a restore reads both, restore/results.ts).
import { z } from 'zod';
import type { ResultSchemas } from '../saga/runner.js';
import { REWIRE_CLOUD_RESULT_SCHEMA, VERIFY_RESULT_SCHEMA } from '../steps/results-schema.js';
import type { RestoreStepResults } from './results.js';

export const RESTORE_RESULT_SCHEMAS: ResultSchemas<RestoreStepResults> = {
  'restore-remove-hybrid': z.looseObject({ removed: z.array(z.string()) }),
  'restore-remove-cloud': z.looseObject({ removed: z.string().nullable() }),
  'restore-group': z.looseObject({ dn: z.string(), recreated: z.boolean() }),
  'restore-hand-back': z.looseObject({ handedBack: z.string() }),
  'restore-resync': z.looseObject({ cloudId: z.string() }),
  'restore-rewire-cloud': REWIRE_CLOUD_RESULT_SCHEMA.extend({ granted: z.number() }),
  'restore-verify': VERIFY_RESULT_SCHEMA,
};
