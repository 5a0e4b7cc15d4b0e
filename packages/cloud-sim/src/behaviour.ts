// Per-tenant behaviour settings (TenantState.behaviour): how the simulated tenant answers where the
// documentation leaves room. Validated here because they arrive as JSON over the control plane.
import { defaultTenantBehaviour, type TenantBehaviour, type TenantState } from './state.js';

const numeric = [
  'addressQuarantineSeconds',
  'memberUpdateMs',
  'restTimeoutSeconds',
  'exchangeSoaDelaySeconds',
  'tokenLifetimeSeconds',
] as const;
const choices = {
  groupWithoutOwner: ['ownerless', 'refused'],
  emptyMembers: ['clears', 'refused'],
} as const;

/** A complete behaviour from a partial one (unknown keys and bad values are refused). */
export function behaviourFrom(
  input: Partial<TenantBehaviour> | undefined,
  base: TenantBehaviour = defaultTenantBehaviour,
): TenantBehaviour {
  const next: TenantBehaviour = { ...base };
  for (const [key, value] of Object.entries(input ?? {})) {
    if ((numeric as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        throw new Error(`Tenant behaviour "${key}" must be a non-negative number.`);
      Object.assign(next, { [key]: value });
    } else if (key in choices) {
      const allowed = choices[key as keyof typeof choices] as readonly string[];
      if (typeof value !== 'string' || !allowed.includes(value))
        throw new Error(`Tenant behaviour "${key}" must be one of ${allowed.join(', ')}.`);
      Object.assign(next, { [key]: value });
    } else {
      throw new Error(
        `Unknown tenant behaviour "${key}" (${[...numeric, ...Object.keys(choices)].join(', ')}).`,
      );
    }
  }
  if (next.restTimeoutSeconds <= 0) throw new Error('Tenant behaviour "restTimeoutSeconds" must be > 0.');
  // expires_in is a whole number of seconds (RFC 6749 §5.1), and a token must live at least one.
  if (!Number.isInteger(next.tokenLifetimeSeconds) || next.tokenLifetimeSeconds < 1)
    throw new Error('Tenant behaviour "tokenLifetimeSeconds" must be a whole number of seconds, at least 1.');
  return next;
}

/** Changes some behaviour settings of a tenant, keeping the others. */
export function setBehaviour(tenant: TenantState, input: Partial<TenantBehaviour>): TenantBehaviour {
  tenant.behaviour = behaviourFrom(input, tenant.behaviour);
  return tenant.behaviour;
}
