// What Graph shows: groups, minus those whose deletion has reached Graph but not Exchange yet (asynchronous sync).
import { isGroup, type Recipient } from '../exchange/recipient.js';
import type { SimRuntime } from '../runtime.js';
import type { TenantState } from '../state.js';

/** The groups Graph shows now. */
export function visibleGroups(rt: SimRuntime, tenant: TenantState): Recipient[] {
  return Object.values(tenant.recipients).filter(
    (r) => isGroup(r) && !rt.isHiddenFromGraph(tenant.id, r.ExternalDirectoryObjectId),
  );
}
