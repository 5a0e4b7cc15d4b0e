// The cloud DL a migration ends with and its routing address: made by stage + take-over (recreate), or the synced
// group itself after convert. Later steps (routing contact, hybrid mail flow) only need these two facts.
import { CoreError } from '../errors/core-error.js';
import type { MigrationResults } from '../steps/results.js';

export interface CloudTarget {
  /** Entra object id (or Guid) of the cloud DL. */
  readonly identity: string;
  /** Its address at the routing domain: where on-prem mail for the group is sent. */
  readonly routingAddress: string;
}

export function cloudTarget(results: MigrationResults): CloudTarget {
  const converted = results.get('convert');
  if (converted !== undefined) return converted;
  const stage = results.get('stage');
  const takeOver = results.get('take-over');
  if (stage === undefined || takeOver === undefined)
    throw new CoreError(
      'CORE_STEP_RESULT_MISSING',
      'the cloud DL is not final yet (no convert or take-over result)',
    );
  return { identity: stage.identity, routingAddress: takeOver.routingAddress };
}
