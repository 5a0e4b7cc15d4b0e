// Bulk resolution: does each of thousands of identities exist in Exchange Online, and which object
// is it? One lookup per identity would cost thousands of calls; instead the identities are OR-ed
// into -Filter chunks — GUIDs on ExternalDirectoryObjectId, addresses on EmailAddresses
// (recipients) or UserPrincipalName (users) — and the answers are mapped back to the inputs.
import { chunkedAnyOf, type FilterChunkOptions } from './opath.js';
import type { ExchangeOnline } from './exchange-online.js';
import type { RecipientRecord, UserRecord } from './records.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ResolveOptions extends FilterChunkOptions {
  /**
   * Look up identities that the filters didn't find (or that are neither a GUID nor an address)
   * one by one with -Identity. Costs one call per miss. @defaultValue false
   */
  readonly fallbackToIdentity?: boolean;
  /**
   * Recipients only: the properties the filter queries return ($select) — e.g. RESOLVE_PROPERTIES when only the ids
   * are wanted: whole records of 100,000 members were hundreds of MB (issue 17). Fallback look-ups return all.
   */
  readonly select?: readonly string[];
}

/** What a bulk resolve needs to map answers back to the inputs and name the object: ids, addresses, name. */
export const RESOLVE_PROPERTIES = [
  'Guid',
  'ExternalDirectoryObjectId',
  'Name',
  'PrimarySmtpAddress',
  'EmailAddresses',
  'RecipientTypeDetails',
] as const;

export interface ResolveResult<T> {
  /** Input identity → object; identities that don't exist are absent. */
  readonly found: ReadonlyMap<string, T>;
  readonly missing: readonly string[];
  /** Identities that matched more than one object (resolve those by ExternalDirectoryObjectId). */
  readonly ambiguous: readonly string[];
  /** Calls made to the cmdlet (pages included; counted on the transport, so run it alone to measure). */
  readonly calls: number;
}

export type IdentityKind = 'guid' | 'address' | 'other';

export function identityKind(identity: string): IdentityKind {
  if (GUID.test(identity)) return 'guid';
  if (/^[^\s@:]+@[^\s@]+$/.test(stripSmtpPrefix(identity))) return 'address';
  return 'other';
}

function stripSmtpPrefix(identity: string): string {
  return identity.replace(/^smtp:/i, '');
}

/** How one object kind is looked up in bulk. */
interface BulkLookup<T> {
  readonly cmdlet: string;
  readonly addressProperty: string;
  find(filter: string): Promise<readonly T[]>;
  get(identity: string): Promise<T | null>;
  key(item: T): string;
  guidOf(item: T): string;
  /** Lower-case addresses under which the item answers an address query. */
  addressesOf(item: T): string[];
}

/** Recipients by ExternalDirectoryObjectId or any SMTP proxy address (Get-Recipient). */
export function resolveRecipients(
  exo: ExchangeOnline,
  identities: readonly string[],
  options: ResolveOptions = {},
): Promise<ResolveResult<RecipientRecord>> {
  return resolveRecipientsAs(exo, identities, options, (r) => r);
}

/**
 * resolveRecipients keeping only what `project` makes of each recipient found, as its page arrives: the records of
 * 100,000 members are never held at once when a few fields of each will do (issue 17).
 */
export function resolveRecipientsAs<U>(
  exo: ExchangeOnline,
  identities: readonly string[],
  options: ResolveOptions,
  project: (recipient: RecipientRecord) => U,
): Promise<ResolveResult<U>> {
  return resolveBulk(exo, identities, options, project, {
    cmdlet: 'Get-Recipient',
    // EmailAddresses -eq matches any proxy address (no smtp: prefix needed), unlike PrimarySmtpAddress.
    addressProperty: 'EmailAddresses',
    find: (f) => exo.findRecipients(f, {}, options.select),
    get: (i) => exo.getRecipient(i),
    key: (r) => r.guid,
    guidOf: (r) => r.externalDirectoryObjectId,
    addressesOf: (r) =>
      r.emailAddresses.filter((a) => /^smtp:/i.test(a)).map((a) => a.slice(5).toLowerCase()),
  });
}

/** Users — plain users included — by ExternalDirectoryObjectId or UserPrincipalName (Get-User). */
export function resolveUsers(
  exo: ExchangeOnline,
  identities: readonly string[],
  options: ResolveOptions = {},
): Promise<ResolveResult<UserRecord>> {
  return resolveBulk(exo, identities, options, (u: UserRecord) => u, {
    cmdlet: 'Get-User',
    addressProperty: 'UserPrincipalName',
    find: (f) => exo.findUsers(f),
    get: (i) => exo.getUser(i),
    key: (u) => u.guid,
    guidOf: (u) => u.externalDirectoryObjectId,
    addressesOf: (u) => [u.userPrincipalName.toLowerCase()],
  });
}

async function resolveBulk<T, U>(
  exo: ExchangeOnline,
  identities: readonly string[],
  options: ResolveOptions,
  project: (item: T) => U,
  lookup: BulkLookup<T>,
): Promise<ResolveResult<U>> {
  const callsSoFar = () => exo.transport.stats().requestsByCmdlet[lookup.cmdlet] ?? 0;
  const before = callsSoFar();
  const unique = [...new Set(identities)];
  const byGuid = new InputsByKey(); // lower-case guid → inputs
  const byAddress = new InputsByKey(); // lower-case address → inputs
  for (const identity of unique) {
    const kind = identityKind(identity);
    if (kind === 'guid') byGuid.add(identity.toLowerCase(), identity);
    else if (kind === 'address') byAddress.add(stripSmtpPrefix(identity).toLowerCase(), identity);
    // Anything else (names, aliases) is only found by the identity fallback.
  }

  // The first object found per input (its key, and what `project` made of it), and the inputs a second, different
  // object answered too: no list per input (100,000 members were 100,000 one-element arrays, issue 17).
  const first = new Map<string, U>();
  const firstKey = new Map<string, string>();
  const ambiguousSet = new Set<string>();
  const record = (input: string, item: T) => {
    const key = lookup.key(item);
    const before = firstKey.get(input);
    if (before === undefined) {
      firstKey.set(input, key);
      first.set(input, project(item));
    } else if (before !== key) ambiguousSet.add(input);
  };

  for (const filter of chunkedAnyOf('ExternalDirectoryObjectId', byGuid.keys(), options)) {
    for (const item of await lookup.find(filter)) {
      byGuid.each(lookup.guidOf(item).toLowerCase(), (input) => record(input, item));
    }
  }
  for (const filter of chunkedAnyOf(lookup.addressProperty, byAddress.keys(), options)) {
    for (const item of await lookup.find(filter)) {
      for (const address of lookup.addressesOf(item)) {
        byAddress.each(address, (input) => record(input, item));
      }
    }
  }
  if (options.fallbackToIdentity) {
    for (const identity of unique.filter((i) => !first.has(i))) {
      const item = await lookup.get(identity);
      if (item) record(identity, item);
    }
  }

  const missing: string[] = [];
  const ambiguous: string[] = [];
  for (const identity of unique) {
    if (!first.has(identity)) missing.push(identity);
    else if (ambiguousSet.has(identity)) {
      ambiguous.push(identity);
      first.delete(identity);
    }
  }
  return { found: first, missing, ambiguous, calls: callsSoFar() - before };
}

/** Inputs by lookup key: one input (nearly always) kept as itself, several as a list. */
class InputsByKey {
  readonly #inputs = new Map<string, string | string[]>();

  add(key: string, input: string): void {
    const before = this.#inputs.get(key);
    if (before === undefined) this.#inputs.set(key, input);
    else if (typeof before === 'string') this.#inputs.set(key, [before, input]);
    else before.push(input);
  }

  /** Calls `fn` with each input of the key: no list is made for the usual single input (once per answer). */
  each(key: string, fn: (input: string) => void): void {
    const inputs = this.#inputs.get(key);
    if (typeof inputs === 'string') fn(inputs);
    else inputs?.forEach((input) => fn(input));
  }

  keys(): string[] {
    return [...this.#inputs.keys()];
  }
}
