// Reads the in-scope part of the on-premises directory over LDAP(S) with its own ldapts code
// (deliberately not @dlmigrate/ad: the simulator must not share the product's bugs).
import { Client, type Entry } from 'ldapts';

export interface LdapSource {
  url: string;
  /** PEM CA to trust for ldaps:// (TLS is always verified). */
  caPem?: string;
  bindDn: string;
  bindPassword: string;
}

/** The attributes Entra Connect reads for mail-enabled users, contacts and groups. */
const syncedAttributes = [
  'objectGUID',
  'objectSid',
  'objectClass',
  'distinguishedName',
  'cn',
  'name',
  'displayName',
  'displayNamePrintable',
  'description',
  'info',
  'mail',
  'mailNickname',
  'proxyAddresses',
  'legacyExchangeDN',
  'targetAddress',
  'userPrincipalName',
  'sAMAccountName',
  'groupType',
  'homeMDB',
  'msExchRecipientTypeDetails',
  'msExchRecipientDisplayType',
  // member: asked for window by window (MEMBER_WINDOW).
  'managedBy',
  'msExchCoManagedByLink',
  'authOrig',
  'unauthOrig',
  'dLMemSubmitPerms',
  'dLMemRejectPerms',
  'msExchModeratedByLink',
  'msExchBypassModerationLink',
  'msExchBypassModerationFromDLMembersLink',
  'publicDelegates',
  'msExchEnableModeration',
  'msExchModerationFlags',
  'msExchHideFromAddressLists',
  'msExchRequireAuthToSendTo',
  'reportToOwner',
  'reportToOriginator',
  'oofReplyToOriginator',
  'msExchGroupJoinRestriction',
  'msExchGroupDepartRestriction',
  'msExchSenderHintTranslations',
  'msDS-ExternalDirectoryObjectId',
  ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`),
  ...Array.from({ length: 5 }, (_, i) => `msExchExtensionCustomAttribute${i + 1}`),
];

/** One directory object: attribute names lower-cased, values as string lists (GUID/SID decoded). */
export interface DirectoryEntry {
  dn: string;
  objectGuid: string; // base64, Entra Connect's source anchor form
  sid?: string;
  attrs: Map<string, string[]>;
}

export function first(e: DirectoryEntry, name: string): string | undefined {
  return e.attrs.get(name.toLowerCase())?.[0];
}

export function all(e: DirectoryEntry, name: string): string[] {
  return e.attrs.get(name.toLowerCase()) ?? [];
}

/** Binary objectSid → "S-1-5-21-…". */
function sidToString(buf: Buffer): string {
  const revision = buf[0]!;
  const count = buf[1]!;
  const authority = buf.readUIntBE(2, 6);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(buf.readUInt32LE(8 + i * 4));
  return `S-${revision}-${authority}${subs.map((s) => `-${s}`).join('')}`;
}

/**
 * Values of `member` per answer: AD's MaxValRange. A real DC answers at most this many values of a multi-valued
 * attribute per entry, so a sync engine reads a big group's members window by window (`member;range=0-1499`, then
 * the next windows by the group's DN). Samba answers a plain `member` whole: the page of 500 entries holding the
 * 100,000-member group of the memory lab (bench/memory.bench.ts) carried all its members in one answer (issue 17).
 */
const MEMBER_WINDOW = 1500;
const memberWindow = (low: number) => `member;range=${low}-${low + MEMBER_WINDOW - 1}`;
/** `member;range=0-1499` (more to read) or `member;range=1500-*` (the last window). */
const MEMBER_RANGE = /^member;range=(\d+)-(\d+|\*)$/i;

function asStrings(value: Entry[string]): string[] {
  return (Array.isArray(value) ? value : [value]).map((v) =>
    Buffer.isBuffer(v) ? v.toString('utf8') : String(v),
  );
}

/** A directory entry, and where its `member` values continue when the server answered only a window of them. */
function toEntry(raw: Entry): { entry: DirectoryEntry; nextMember?: number } | undefined {
  const attrs = new Map<string, string[]>();
  let guid: Buffer | undefined;
  let sid: Buffer | undefined;
  let nextMember: number | undefined;
  for (const [key, value] of Object.entries(raw)) {
    const k = key.toLowerCase();
    const range = MEMBER_RANGE.exec(k);
    if (k === 'objectguid') guid = Array.isArray(value) ? (value[0] as Buffer) : (value as Buffer);
    else if (k === 'objectsid') sid = Array.isArray(value) ? (value[0] as Buffer) : (value as Buffer);
    else if (range !== null) {
      const values = asStrings(value);
      // ldapts lists a requested attribute the entry lacks as []: no members.
      if (values.length === 0) continue;
      attrs.set('member', values);
      if (range[2] !== '*') nextMember = Number(range[2]) + 1;
    } else if (k !== 'dn') attrs.set(k, asStrings(value));
  }
  if (!guid || guid.length !== 16) return undefined;
  const entry = {
    dn: raw.dn,
    objectGuid: guid.toString('base64'),
    sid: sid ? sidToString(sid) : undefined,
    attrs,
  };
  return nextMember === undefined ? { entry } : { entry, nextMember };
}

/** The rest of a group's members, window by window, until the server answers the last one (`-*`). */
async function readRemainingMembers(client: Client, entry: DirectoryEntry, from: number): Promise<void> {
  const members = entry.attrs.get('member') ?? [];
  for (let low: number | undefined = from; low !== undefined;) {
    const { searchEntries } = await client.search(entry.dn, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: [memberWindow(low)],
    });
    const window = Object.entries(searchEntries[0] ?? {}).find(([key]) => MEMBER_RANGE.test(key));
    if (window === undefined) break;
    for (const v of asStrings(window[1])) members.push(v);
    const high = MEMBER_RANGE.exec(window[0])![2]!;
    // The last window ends in "*"; a window that does not move on would never end.
    low = high === '*' || Number(high) < low ? undefined : Number(high) + 1;
  }
  entry.attrs.set('member', members);
}

/** Users, and contacts and groups with an address, below every in-scope OU. */
export async function readInScope(source: LdapSource, scopeOus: string[]): Promise<DirectoryEntry[]> {
  const client = new Client({
    url: source.url,
    timeout: 30_000,
    connectTimeout: 10_000,
    tlsOptions: source.caPem ? { ca: [source.caPem] } : undefined,
  });
  try {
    await client.bind(source.bindDn, source.bindPassword);
    const entries: DirectoryEntry[] = [];
    const seen = new Set<string>();
    for (const ou of scopeOus) {
      const { searchEntries } = await client.search(ou, {
        scope: 'sub',
        // Every user (Entra syncs them all); contacts and groups only when they carry an address.
        filter:
          '(|(&(objectClass=user)(!(objectClass=computer)))(&(|(objectClass=contact)(objectClass=group))(|(mail=*)(proxyAddresses=*))))',
        attributes: [...syncedAttributes, memberWindow(0)],
        explicitBufferAttributes: ['objectGUID', 'objectSid'],
        paged: { pageSize: 500 },
      });
      for (const raw of searchEntries) {
        const read = toEntry(raw);
        if (read && !seen.has(read.entry.objectGuid)) {
          seen.add(read.entry.objectGuid);
          if (read.nextMember !== undefined) await readRemainingMembers(client, read.entry, read.nextMember);
          entries.push(read.entry);
        }
      }
    }
    return entries;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
