// What a ProxyAddressExistsException at take-over means. Exchange Online keeps a deleted recipient's addresses taken
// for a while after the deletion (DLConversionV2 set-Office365DLMV.ps1:171-200 called it a "cache collision" and
// retried 10 × 10 s; cloud-sim's addressQuarantineSeconds, fidelity ledger in packages/cloud-sim/README.md): an
// address held by the synced group just deleted, or by nobody Exchange shows, frees itself — wait and retry. An
// address held by a live (or soft-deleted) other object never does — report it at once, naming the holder.
import type { ExchangeOnline, ExoAddressExistsError } from '@dlmigrate/exo';

/** The synced cloud group the take-over replaces (from the capture). */
export interface DeletedHolder {
  readonly name: string;
  readonly guid: string;
  readonly externalDirectoryObjectId: string;
  readonly distinguishedName: string;
}

export type AddressConflict =
  | { readonly kind: 'transient'; readonly holder: string }
  | { readonly kind: 'held'; readonly holder: string };

/**
 * Classifies a refused address write. `self` is the DL being written (it may hold some of the addresses already).
 * Costs one or two Get-Recipient calls.
 */
export async function classifyAddressConflict(
  exchange: ExchangeOnline,
  error: ExoAddressExistsError,
  deleted: DeletedHolder | null,
  self: string,
): Promise<AddressConflict> {
  const named = error.holder ?? null;
  // Whoever Exchange shows holding the address (soft-deleted recipients keep theirs, Get-Recipient.md).
  const smtp = error.address === undefined ? undefined : smtpOf(error.address);
  const holder = smtp === undefined ? null : await visibleHolder(exchange, smtp, self);
  if (holder !== null) return { kind: 'held', holder };
  if (named !== null && !isDeleted(named, deleted)) {
    // The error names someone else: if Exchange shows that object, it is a live holder (of an X500 or a
    // LegacyExchangeDN the address lookup cannot find).
    const live = await exchange.getRecipient(lastSegment(named), { includeSoftDeleted: true });
    if (live !== null && live.guid !== self && live.externalDirectoryObjectId !== self)
      return { kind: 'held', holder: named };
  }
  return { kind: 'transient', holder: named ?? 'a recently deleted recipient' };
}

/**
 * The name of a live or soft-deleted recipient other than `self` holding one of the SMTP addresses, or null. The
 * service names one conflict per refusal, the quarantined ones first when they come first in the list: this finds a
 * lasting conflict behind them (one Get-Recipient per SMTP address).
 */
export async function liveHolderAmong(
  exchange: ExchangeOnline,
  addresses: readonly string[],
  self: string,
): Promise<{ address: string; holder: string } | null> {
  for (const address of addresses) {
    const smtp = smtpOf(address);
    if (smtp === undefined) continue;
    const holder = await visibleHolder(exchange, smtp, self);
    if (holder !== null) return { address: smtp, holder };
  }
  return null;
}

/** The name (or guid) of whoever Exchange shows holding the address, other than `self`; null for nobody. */
async function visibleHolder(exchange: ExchangeOnline, smtp: string, self: string): Promise<string | null> {
  const holder = await exchange.getRecipient(smtp, { includeSoftDeleted: true });
  if (holder === null || holder.guid === self || holder.externalDirectoryObjectId === self) return null;
  return holder.name || holder.guid;
}

/** Does the holder named in the error (a canonical path "…/<tenant>/<Name>", a name, a DN or an id) denote it? */
function isDeleted(named: string, deleted: DeletedHolder | null): boolean {
  if (deleted === null) return false;
  const n = named.toLowerCase();
  return [deleted.guid, deleted.externalDirectoryObjectId, deleted.distinguishedName, deleted.name]
    .filter((v) => v !== '')
    .some((v) => n === v.toLowerCase() || lastSegment(n) === v.toLowerCase());
}

/** The SMTP address of "SMTP:a@b", "smtp:a@b" or "a@b"; undefined for other address types (X500:, SIP:, …). */
function smtpOf(address: string): string | undefined {
  const colon = address.indexOf(':');
  if (colon < 0) return address.includes('@') ? address : undefined;
  return address.slice(0, colon).toLowerCase() === 'smtp' ? address.slice(colon + 1) : undefined;
}

const lastSegment = (path: string) => path.slice(path.lastIndexOf('/') + 1);
