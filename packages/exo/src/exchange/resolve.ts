// Bulk recipient resolution: does each of thousands of identities exist in Exchange Online, and
// which recipient is it? One Get-Recipient per identity would cost thousands of calls; instead the
// identities are OR-ed into -Filter chunks on ExternalDirectoryObjectId (GUIDs) and EmailAddresses
// (addresses), and the answers are mapped back to the inputs.
import { chunkedAnyOf, type FilterChunkOptions } from './opath.js';
import type { ExchangeOnline } from './exchange-online.js';
import type { RecipientRecord } from './records.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ResolveOptions extends FilterChunkOptions {
  /**
   * Look up identities that the filters didn't find (or that are neither a GUID nor an address)
   * one by one with Get-Recipient -Identity. Costs one call per miss. @defaultValue false
   */
  readonly fallbackToIdentity?: boolean;
}

export interface ResolveResult {
  /** Input identity → recipient; identities that don't exist are absent. */
  readonly found: ReadonlyMap<string, RecipientRecord>;
  readonly missing: readonly string[];
  /** Identities that matched more than one recipient (an address on two objects can't happen; a GUID twice neither — kept for safety). */
  readonly ambiguous: readonly string[];
  /** Get-Recipient calls made (pages included). */
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

export async function resolveRecipients(
  exo: ExchangeOnline,
  identities: readonly string[],
  options: ResolveOptions = {},
): Promise<ResolveResult> {
  const before = exo.transport.stats().requestsByCmdlet['Get-Recipient'] ?? 0;
  const byGuid = new Map<string, string[]>(); // lower-case guid → inputs
  const byAddress = new Map<string, string[]>(); // lower-case address → inputs
  for (const identity of new Set(identities)) {
    const kind = identityKind(identity);
    if (kind === 'guid') push(byGuid, identity.toLowerCase(), identity);
    else if (kind === 'address') push(byAddress, stripSmtpPrefix(identity).toLowerCase(), identity);
    // Anything else (names, UPNs that aren't addresses) is only found by the identity fallback.
  }

  const matches = new Map<string, RecipientRecord[]>();
  const record = (input: string, r: RecipientRecord) => {
    const list = matches.get(input) ?? [];
    if (!list.some((x) => x.guid === r.guid)) list.push(r);
    matches.set(input, list);
  };

  for (const filter of chunkedAnyOf('ExternalDirectoryObjectId', [...byGuid.keys()], options)) {
    for (const r of await exo.findRecipients(filter)) {
      for (const input of byGuid.get(r.externalDirectoryObjectId.toLowerCase()) ?? []) record(input, r);
    }
  }
  // EmailAddresses -eq matches any proxy address (no smtp: prefix needed), unlike PrimarySmtpAddress.
  for (const filter of chunkedAnyOf('EmailAddresses', [...byAddress.keys()], options)) {
    for (const r of await exo.findRecipients(filter)) {
      for (const address of r.emailAddresses) {
        if (!/^smtp:/i.test(address)) continue;
        for (const input of byAddress.get(address.slice(5).toLowerCase()) ?? []) record(input, r);
      }
    }
  }

  if (options.fallbackToIdentity) {
    const unresolved = [...new Set(identities)].filter((i) => !matches.has(i));
    for (const identity of unresolved) {
      const r = await exo.getRecipient(identity);
      if (r) record(identity, r);
    }
  }

  const found = new Map<string, RecipientRecord>();
  const missing: string[] = [];
  const ambiguous: string[] = [];
  for (const identity of new Set(identities)) {
    const list = matches.get(identity);
    if (!list || list.length === 0) missing.push(identity);
    else if (list.length > 1) ambiguous.push(identity);
    else found.set(identity, list[0] as RecipientRecord);
  }
  const after = exo.transport.stats().requestsByCmdlet['Get-Recipient'] ?? 0;
  return { found, missing, ambiguous, calls: after - before };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
