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
  'member',
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

function toEntry(raw: Entry): DirectoryEntry | undefined {
  const attrs = new Map<string, string[]>();
  let guid: Buffer | undefined;
  let sid: Buffer | undefined;
  for (const [key, value] of Object.entries(raw)) {
    const k = key.toLowerCase();
    if (k === 'objectguid') guid = Array.isArray(value) ? (value[0] as Buffer) : (value as Buffer);
    else if (k === 'objectsid') sid = Array.isArray(value) ? (value[0] as Buffer) : (value as Buffer);
    else if (k !== 'dn') {
      const list = (Array.isArray(value) ? value : [value]).map((v) =>
        Buffer.isBuffer(v) ? v.toString('utf8') : String(v),
      );
      attrs.set(k, list);
    }
  }
  if (!guid || guid.length !== 16) return undefined;
  return { dn: raw.dn, objectGuid: guid.toString('base64'), sid: sid ? sidToString(sid) : undefined, attrs };
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
        attributes: syncedAttributes,
        explicitBufferAttributes: ['objectGUID', 'objectSid'],
        paged: { pageSize: 500 },
      });
      for (const raw of searchEntries) {
        const e = toEntry(raw);
        if (e && !seen.has(e.objectGuid)) {
          seen.add(e.objectGuid);
          entries.push(e);
        }
      }
    }
    return entries;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
