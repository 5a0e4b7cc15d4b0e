// The captured references as they come back from the state store, parsed, not cast (stored/parse.ts): the Exchange
// configuration that names the group — which rewire-config writes to and its undo puts back — checked field by field;
// what Entra holds, only described in findings, checked entry by entry for a known kind (Graph's fields inside are
// what the capture wrote, as engine/snapshot-schema.ts does for directory and Exchange records). Objects are loose:
// a field this version does not list is kept.
import { z } from 'zod';
import type { ConfigReferencesCapture, EntraCapture } from './capture.js';
import type { EntraReference } from './entra.js';
import type { ExchangeReference } from './exchange.js';
import type { GroupIdentity } from './identity.js';

const notChecked = z.looseObject({ what: z.string(), why: z.string(), command: z.string() });

export const groupIdentity = z.looseObject({
  name: z.string(),
  primarySmtpAddress: z.string(),
  smtpAddresses: z.array(z.string()),
  distinguishedName: z.string(),
  canonicalName: z.string().nullable(),
  legacyExchangeDns: z.array(z.string()),
  identity: z.string(),
  objectId: z.string(),
}) satisfies z.ZodType<GroupIdentity>;

export const exchangeReference = z.looseObject({
  kind: z.enum([
    'transport-rule',
    'journal-rule',
    'dynamic-group-filter',
    'address-list-filter',
    'calendar-processing',
  ]),
  container: z.looseObject({
    identity: z.string(),
    name: z.string(),
    listKind: z.enum(['address-list', 'global-address-list']).optional(),
  }),
  property: z.string(),
  storedAs: z.enum(['address', 'distinguished-name', 'legacy-dn', 'name']),
  value: z.string(),
  usedBy: z.array(z.string()).optional(),
}) satisfies z.ZodType<ExchangeReference>;

const ENTRA_KINDS: readonly string[] = [
  'licence',
  'app-role',
  'conditional-access',
  'role-assignment',
  'member-of',
  'owner',
] satisfies readonly EntraReference['kind'][];

const entraReference = z.custom<EntraReference>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    ENTRA_KINDS.includes(String((value as { kind?: unknown }).kind)),
  `expected an Entra reference of kind ${ENTRA_KINDS.join(', ')}`,
);

export const configReferencesSchema = z.looseObject({
  old: groupIdentity,
  references: z.array(exchangeReference),
  notChecked: z.array(notChecked),
}) satisfies z.ZodType<ConfigReferencesCapture>;

export const entraCaptureSchema = z.looseObject({
  objectId: z.string(),
  references: z.array(entraReference),
  notChecked: z.array(notChecked),
}) satisfies z.ZodType<EntraCapture>;

/** One write of rewire-config, journaled before it is made: the container and the value it held before. */
export const configWriteSchema = z.looseObject({
  reference: exchangeReference,
  before: z.union([z.string(), z.array(z.string()), z.null()]),
});
