// The tenant's recipient store with Exchange's identity resolution and address uniqueness.
// Lookups go through an index rebuilt lazily after writes (a 10,000-member replace resolves
// 10,000 identities; a linear scan per identity would be quadratic).
import type { TenantState } from '../state.js';
import { cmdletErrors } from './errors.js';
import { forgetObjectInEntra } from '../graph/entra-state.js';
import { forgetRecipientInConfig } from './config-state.js';
import { exchangeDistinguishedName, linkProperties, proxyKey, type Recipient } from './recipient.js';

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Index key of "holds `target` in `property`" (a link list, ForwardingAddress or Members). */
export function linkKey(property: string, target: string): string {
  return `link:${property.toLowerCase()}:${target.toLowerCase()}`;
}

const directories = new WeakMap<TenantState, RecipientDirectory>();

export class RecipientDirectory {
  private index: Map<string, Set<string>> | undefined;
  private keysByGuid = new Map<string, string[]>();
  private changes = 0;

  private constructor(readonly tenant: TenantState) {}

  /**
   * The one directory of a tenant object: its index lives as long as the tenant state does, so
   * every writer (cmdlets, seeding, sync) must store recipients through put/remove.
   */
  static of(tenant: TenantState): RecipientDirectory {
    let dir = directories.get(tenant);
    if (!dir) directories.set(tenant, (dir = new RecipientDirectory(tenant)));
    return dir;
  }

  all(): Recipient[] {
    return Object.values(this.tenant.recipients);
  }

  get(guid: string): Recipient | undefined {
    return this.tenant.recipients[guid];
  }

  distinguishedName(r: Recipient): string {
    return exchangeDistinguishedName(r, this.tenant.initialDomain);
  }

  /** "NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/<initial>/<name>" — how EXO names a holder. */
  canonicalPath(r: Recipient): string {
    return `NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/${this.tenant.initialDomain}/${r.Name}`;
  }

  /** Stamps a change time on a recipient about to be stored. */
  touch(r: Recipient): void {
    r.WhenChangedUTC = new Date().toISOString();
  }

  /** Grows with every put/remove: lets a derived view know it is stale. */
  get version(): number {
    return this.changes;
  }

  /** Stores (adds or replaces) a recipient and re-indexes just that one. */
  put(r: Recipient): void {
    this.changes++;
    this.tenant.recipients[r.Guid] = r;
    if (this.index) {
      this.unindex(r.Guid);
      this.indexOne(this.index, r);
    }
  }

  /**
   * Stores a group after one member was added or removed, re-indexing only that membership: re-indexing a
   * 100,000-member group whole on each of its additions would be quadratic.
   */
  putMembership(group: Recipient, member: string, change: 'added' | 'removed'): void {
    this.changes++;
    this.tenant.recipients[group.Guid] = group;
    if (!this.index) return;
    const key = linkKey('Members', member);
    if (change === 'removed') {
      // The key may stay in keysByGuid: unindexing a key the group no longer holds is harmless.
      this.index.get(key)?.delete(group.Guid);
      return;
    }
    let set = this.index.get(key);
    if (!set) this.index.set(key, (set = new Set()));
    set.add(group.Guid);
    this.keysByGuid.get(group.Guid)?.push(key);
  }

  /**
   * Deletes a recipient and every reference to it (memberships, restrictions, permissions). With an
   * address quarantine configured, its addresses stay taken for a while, as after a real deletion
   * (DLConversionV2 set-Office365DLMV.ps1:171-200 retries for this "cache collision").
   */
  remove(guid: string): void {
    this.changes++;
    const gone = this.tenant.recipients[guid];
    if (gone?.ExternalDirectoryObjectId) this.tenant.retiredObjectIds.push(gone.ExternalDirectoryObjectId);
    const quarantine = this.tenant.behaviour.addressQuarantineSeconds;
    if (gone && quarantine > 0) {
      this.tenant.quarantinedAddresses.push({
        keys: [...gone.EmailAddresses.map(proxyKey), `x500:${gone.LegacyExchangeDN.toLowerCase()}`],
        holderPath: this.canonicalPath(gone),
        until: new Date(Date.now() + quarantine * 1000).toISOString(),
      });
    }
    delete this.tenant.recipients[guid];
    // Only the recipients that hold it in a link, from the link index (kept by put / putMembership, and what the link
    // filters already answer from): every deletion used to look at every recipient, which made a sync cycle's wave of
    // deletions quadratic — 450 deletions over 2,400 recipients held the event loop for seconds (issue 15). The index
    // may list a holder that no longer holds it (the lists below are edited in place); the check below skips it.
    const holders = new Set<string>();
    for (const prop of [...linkProperties, 'Members', 'ForwardingAddress'])
      for (const g of this.lookup(linkKey(prop, guid))) holders.add(g);
    for (const holder of holders) {
      const other = this.tenant.recipients[holder];
      if (other === undefined) continue;
      let changed = false;
      for (const prop of [...linkProperties, 'Members'] as const) {
        const list = other[prop];
        if (list.includes(guid)) {
          other[prop] = list.filter((g) => g !== guid);
          changed = true;
        }
      }
      if (other.ForwardingAddress === guid) {
        other.ForwardingAddress = null;
        changed = true;
      }
      if (changed) other.WhenChangedUTC = new Date().toISOString();
    }
    this.tenant.recipientPermissions = this.tenant.recipientPermissions.filter(
      (p) => p.identity !== guid && p.trustee !== guid,
    );
    this.tenant.mailboxPermissions = this.tenant.mailboxPermissions.filter(
      (p) => p.identity !== guid && p.user !== guid,
    );
    this.tenant.mailboxFolderPermissions = this.tenant.mailboxFolderPermissions.filter(
      (p) => p.mailbox !== guid && p.user !== guid,
    );
    forgetRecipientInConfig(this.tenant, guid);
    if (gone) forgetObjectInEntra(this.tenant, gone.ExternalDirectoryObjectId);
    this.unindex(guid);
  }

  private keysOf(r: Recipient): string[] {
    const keys = [
      `id:${r.Guid.toLowerCase()}`,
      `dn:${this.distinguishedName(r).toLowerCase()}`,
      // DisplayName is not an -Identity form (Get-Recipient: Name, Alias, DN, canonical DN,
      // address, GUID); it is indexed apart for -Filter "DisplayName -eq".
      `name:${r.Name.toLowerCase()}`,
      `name:${r.Alias.toLowerCase()}`,
      `display:${r.DisplayName.toLowerCase()}`,
      `proxy:${r.LegacyExchangeDN.toLowerCase()}`,
      ...r.EmailAddresses.map((a) => `proxy:${proxyKey(a)}`),
    ];
    if (r.ExternalDirectoryObjectId) keys.push(`id:${r.ExternalDirectoryObjectId.toLowerCase()}`);
    if (r.UserPrincipalName) keys.push(`proxy:smtp:${r.UserPrincipalName.toLowerCase()}`);
    // What the link filters ask ("ManagedBy -eq '<dn>'", "Members -eq '<dn>'"): holders by the target's Guid.
    for (const prop of linkProperties) for (const g of r[prop]) keys.push(linkKey(prop, g));
    if (r.ForwardingAddress) keys.push(linkKey('ForwardingAddress', r.ForwardingAddress));
    for (const g of r.Members) keys.push(linkKey('Members', g));
    return keys;
  }

  private indexOne(index: Map<string, Set<string>>, r: Recipient): void {
    const keys = this.keysOf(r);
    this.keysByGuid.set(r.Guid, keys);
    for (const key of keys) {
      let set = index.get(key);
      if (!set) index.set(key, (set = new Set()));
      set.add(r.Guid);
    }
  }

  private unindex(guid: string): void {
    if (!this.index) return;
    for (const key of this.keysByGuid.get(guid) ?? []) this.index.get(key)?.delete(guid);
    this.keysByGuid.delete(guid);
  }

  private buildIndex(): Map<string, Set<string>> {
    const index = new Map<string, Set<string>>();
    this.keysByGuid.clear();
    for (const r of this.all()) this.indexOne(index, r);
    return index;
  }

  /** Drops a tenant's cached index (after its recipients were replaced wholesale). */
  static forget(tenant: TenantState): void {
    directories.delete(tenant);
  }

  /** Recipients under one index key (`id:`, `dn:`, `name:`, `proxy:` + lower-case value, or linkKey). */
  byKey(key: string): Recipient[] {
    return this.lookup(key)
      .map((g) => this.tenant.recipients[g])
      .filter((r): r is Recipient => r !== undefined);
  }

  private lookup(key: string): string[] {
    this.index ??= this.buildIndex();
    return [...(this.index.get(key) ?? [])];
  }

  /** Candidates for an Identity value, by the rules Exchange documents for -Identity. */
  candidates(identity: string, options: { softDeleted?: boolean } = {}): Recipient[] {
    const live = this.keyedCandidates(identity, (k) => this.lookup(k)).map((g) => this.tenant.recipients[g]);
    const soft = options.softDeleted
      ? this.keyedCandidates(identity, (k) => this.softLookup(k)).map(
          (g) => this.tenant.softDeletedRecipients[g],
        )
      : [];
    return [...live, ...soft].filter((r): r is Recipient => r !== undefined);
  }

  private keyedCandidates(identity: string, lookup: (key: string) => string[]): string[] {
    const value = identity.trim();
    const lower = value.toLowerCase();
    if (guidPattern.test(value)) return lookup(`id:${lower}`);
    if (/^(cn|ou)=/i.test(value)) return lookup(`dn:${lower}`);
    if (/^\/o=/i.test(value)) return lookup(`proxy:${lower}`);
    if (/^(smtp|x500|x400|sip|eum|spo|fax):/i.test(value)) return lookup(`proxy:${proxyKey(value)}`);
    if (value.includes('@')) {
      const byAddress = lookup(`proxy:smtp:${lower}`);
      return byAddress.length > 0 ? byAddress : lookup(`name:${lower}`);
    }
    return lookup(`name:${lower}`);
  }

  /** Stores a soft-deleted recipient: invisible to every cmdlet but Get-Recipient -IncludeSoftDeletedRecipients. */
  putSoftDeleted(r: Recipient): void {
    this.tenant.softDeletedRecipients[r.Guid] = r;
    this.softIndex = undefined;
  }

  /** Every soft-deleted recipient. */
  softDeleted(): Recipient[] {
    return Object.values(this.tenant.softDeletedRecipients);
  }

  private softIndex: Map<string, string[]> | undefined;

  private softLookup(key: string): string[] {
    if (!this.softIndex) {
      this.softIndex = new Map();
      for (const r of this.softDeleted())
        for (const k of new Set(this.keysOf(r)))
          this.softIndex.set(k, [...(this.softIndex.get(k) ?? []), r.Guid]);
    }
    return this.softIndex.get(key) ?? [];
  }

  /** Resolves exactly one recipient or throws the cmdlet error Exchange would. */
  resolve(
    identity: string,
    accept?: (r: Recipient) => boolean,
    notFound = cmdletErrors.notFound,
    options: { softDeleted?: boolean } = {},
  ): Recipient {
    const all = this.candidates(identity, options);
    const found = accept ? all.filter(accept) : all;
    if (found.length === 0) throw notFound(identity);
    if (found.length > 1) throw cmdletErrors.ambiguous(identity);
    return found[0]!;
  }

  /**
   * Who already holds a proxy address (compared case-insensitively, SMTP/smtp alike): a live
   * recipient, else a soft-deleted one (they keep their addresses: support article "proxy address
   * being used").
   */
  holderOf(address: string): Recipient | undefined {
    const key = `proxy:${proxyKey(address)}`;
    const guid = this.lookup(key)[0] ?? this.softLookup(key)[0];
    return guid ? (this.tenant.recipients[guid] ?? this.tenant.softDeletedRecipients[guid]) : undefined;
  }

  /** The path of a recently deleted recipient whose quarantine still holds the address. */
  quarantinedHolderOf(address: string, now = Date.now()): string | undefined {
    const list = this.tenant.quarantinedAddresses;
    if (list.length === 0) return undefined;
    this.tenant.quarantinedAddresses = list.filter((q) => Date.parse(q.until) > now);
    const key = proxyKey(address);
    return this.tenant.quarantinedAddresses.find((q) => q.keys.includes(key))?.holderPath;
  }

  /**
   * Throws ProxyAddressExistsException if any address is held by another recipient (live or soft-
   * deleted) or, unless `quarantine: false`, by a recipient deleted within the quarantine.
   */
  assertAddressesFree(addresses: string[], self?: string, options: { quarantine?: boolean } = {}): void {
    for (const a of addresses) {
      const holder = this.holderOf(a);
      if (holder && holder.Guid !== self) throw cmdletErrors.proxyExists(a, this.canonicalPath(holder));
      const deleted = options.quarantine === false ? undefined : this.quarantinedHolderOf(a);
      if (deleted) throw cmdletErrors.proxyExists(a, deleted);
    }
  }
}
