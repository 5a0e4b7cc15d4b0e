// The process-wide budgets: one per (service, endpoint, tenant), so every connection, transport and Graph client of
// the same tenant in this process draws from the same budget — Exchange Online and Graph throttle per tenant, not
// per connection.
import { RateBudget, type RateBudgetOptions } from './rate-budget.js';

type RateService = 'exchange' | 'graph';

export interface RateScope {
  readonly service: RateService;
  /** The service endpoint (its origin tells tenants of different clouds or simulators apart). */
  readonly endpoint: string;
  readonly tenantId: string;
}

const budgets = new Map<string, RateBudget>();

function keyOf(scope: RateScope): string {
  return `${scope.service}|${new URL(scope.endpoint).origin}|${scope.tenantId}`.toLowerCase();
}

/**
 * The budget of this tenant and service, created with `options` the first time. A later call that passes
 * `maxCallsPerSecond` sets the shared budget's ceiling (the most recent setting wins); other options only apply
 * at creation.
 */
function sharedRateBudget(scope: RateScope, options: RateBudgetOptions = {}): RateBudget {
  const key = keyOf(scope);
  const existing = budgets.get(key);
  if (existing === undefined) {
    const budget = new RateBudget(options);
    budgets.set(key, budget);
    return budget;
  }
  if (options.maxCallsPerSecond !== undefined) existing.setMaxCallsPerSecond(options.maxCallsPerSecond);
  return existing;
}

/** The budget a client was given, or else the shared budget of its scope (set up with the options it was given). */
export function rateBudgetFor(
  scope: RateScope,
  given: RateBudget | RateBudgetOptions | undefined,
): RateBudget {
  return given instanceof RateBudget ? given : sharedRateBudget(scope, given ?? {});
}

/** Forget every shared budget (tests that reuse a tenant id and want a fresh start). */
export function forgetSharedRateBudgets(): void {
  budgets.clear();
}
