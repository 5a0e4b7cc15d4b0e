// Phase 3: find the group by address and capture it, typed, with every link read in full.
import type { AdConnection } from './connection.js';
import { GROUP_IDENTITY_ATTRIBUTES, GROUP_SETTING_ATTRIBUTES } from './attributes.js';
import { normalizeDn, parentDn } from './dn.js';
import type { AdEntry } from './entry.js';
import { AdError } from './errors.js';
import { eq, or } from './filter.js';
import { guidToBuffer, guidToString, isWellKnownSid, SID_SELF, sidToString } from './ids.js';
import { decodeGroupType, markerOf, MIGRATION_TAG, parseProxyAddress, structuralClass } from './recipient.js';
import { normalizeSmtpAddress } from './naming.js';
import { SdFlagsControl } from './sd-flags.js';
import {
  isProtectedFromAccidentalDeletion,
  parseSecurityDescriptor,
  sendAsSids,
} from './security-descriptor.js';
import {
  BACK_LINKS,
  FORWARD_LINKS,
  type AdGroup,
  type BackLink,
  type ExchangeSchemaFacts,
  type ForwardLink,
  type GroupSettings,
  type SendAsTrustee,
  type SkippedTrustee,
} from './types.js';

export interface AddressMatch {
  dn: string;
  objectGuid: string;
  objectClass: string;
  isGroup: boolean;
}

/**
 * Every object whose `mail` or any proxy address equals the address. Proxy matching is
 * case-insensitive on the whole value, so `smtp:` also finds the primary `SMTP:` (and vice versa).
 * Forest-wide through the GC when one is configured.
 */
export async function findByAddress(conn: AdConnection, address: string): Promise<AddressMatch[]> {
  const smtp = normalizeSmtpAddress(address);
  const base = conn.hasGlobalCatalog ? '' : await conn.defaultNamingContext();
  const entries = await conn.search(base, {
    gc: true,
    filter: or(eq('mail', smtp), eq('proxyAddresses', `smtp:${smtp}`)),
    attributes: ['objectClass', 'objectGUID', 'groupType'],
  });
  return entries.map((e) => ({
    dn: e.dn,
    objectGuid: guidToString(e.buffer('objectGUID') ?? Buffer.alloc(16)),
    objectClass: structuralClass(e.strings('objectClass')),
    isGroup: e.has('groupType'),
  }));
}

/**
 * The object with this objectGUID wherever it is now (after a move or a `!` rename), or undefined.
 * The GUID goes into the filter as raw bytes: an escaped string filter would not match in ldapts.
 */
export async function findByGuid(conn: AdConnection, guid: string): Promise<AddressMatch | undefined> {
  const request = {
    filter: eq('objectGUID', guidToBuffer(guid)),
    attributes: ['objectClass', 'objectGUID', 'groupType'],
  };
  // The GC answers for the whole forest; what it does not show (yet) is asked of the DC of every known domain, one
  // after the other (a domain's DC searches only its own partition).
  let [e] = conn.hasGlobalCatalog ? await conn.search('', { ...request, gc: true }) : [];
  if (!e) {
    const own = await conn.defaultNamingContext();
    const domains = new Map([own, ...conn.domainNamingContexts].map((nc) => [normalizeDn(nc), nc]));
    for (const nc of domains.values()) {
      [e] = await conn.search(nc, request);
      if (e) break;
    }
  }
  return e
    ? {
        dn: e.dn,
        objectGuid: guidToString(e.buffer('objectGUID') as Buffer),
        objectClass: structuralClass(e.strings('objectClass')),
        isGroup: e.has('groupType'),
      }
    : undefined;
}

/** Exactly one group by address, or a distinct error: not found / ambiguous (all DNs) / not a group / protected. */
export async function findGroupByAddress(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  address: string,
  options: { allowProtected?: boolean } = {},
): Promise<AdGroup> {
  const matches = await findByAddress(conn, address);
  if (matches.length === 0) {
    throw new AdError(
      'AD_GROUP_NOT_FOUND',
      `No object in Active Directory has ${address} as mail or proxy address. Check the address (and that the domain controller/GC covers the group's domain).`,
    );
  }
  if (matches.length > 1) {
    const dns = matches.map((m) => m.dn);
    throw new AdError(
      'AD_GROUP_AMBIGUOUS',
      `${matches.length} objects share the address ${address}; correct the duplicates first:\n  ${dns.join('\n  ')}`,
      { dns },
    );
  }
  const match = matches[0] as AddressMatch;
  if (!match.isGroup) {
    throw new AdError(
      'AD_NOT_A_GROUP',
      `The object found by ${address} is not a group (${match.objectClass}): ${match.dn}`,
      { dn: match.dn },
    );
  }
  const group = await readGroup(conn, schema, match.dn);
  if (group.protectedFromAccidentalDeletion && !options.allowProtected) {
    throw new AdError(
      'AD_GROUP_PROTECTED',
      `${group.dn} is protected from accidental deletion, so it cannot be moved. Clear "Protect object from accidental deletion" on the group first.`,
      { dn: group.dn },
    );
  }
  return group;
}

/** Read a group by DN with every attribute the migration uses; links and back links ranged in full. */
export async function readGroup(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  dn: string,
  tag = MIGRATION_TAG,
): Promise<AdGroup> {
  const links = await schema.present([...FORWARD_LINKS, ...BACK_LINKS]);
  const plain = await schema.present([...GROUP_IDENTITY_ATTRIBUTES, ...GROUP_SETTING_ATTRIBUTES]);
  const entry = await conn.read(dn, {
    attributes: [...plain, ...links, 'nTSecurityDescriptor'],
    ranged: links,
    controls: [new SdFlagsControl()],
  });
  if (!entry)
    throw new AdError('AD_NO_SUCH_OBJECT', `No object ${dn}. It may have been moved, renamed or deleted.`, {
      dn,
    });
  if (!entry.has('groupType'))
    throw new AdError(
      'AD_NOT_A_GROUP',
      `${dn} is not a group (${structuralClass(entry.strings('objectClass'))}).`,
      { dn },
    );
  return toGroup(conn, entry, tag);
}

async function toGroup(conn: AdConnection, e: AdEntry, tag: string): Promise<AdGroup> {
  const sdBytes = e.buffer('nTSecurityDescriptor');
  const sd = sdBytes ? parseSecurityDescriptor(sdBytes) : undefined;
  const { sendAs, skipped } = sd
    ? await resolveSendAs(conn, e.dn, sendAsSids(sd))
    : { sendAs: [], skipped: [] };
  const forward = Object.fromEntries(FORWARD_LINKS.map((l) => [l, e.strings(l)])) as Record<
    ForwardLink,
    string[]
  >;
  const back = Object.fromEntries(BACK_LINKS.map((l) => [l, e.strings(l)])) as Record<BackLink, string[]>;
  const opt = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
    value === undefined ? {} : ({ [key]: value } as Record<K, V>);
  const settings: GroupSettings = {
    ...opt('hiddenFromAddressLists', e.boolean('msExchHideFromAddressLists')),
    ...opt('requireAuthToSendTo', e.boolean('msExchRequireAuthToSendTo')),
    ...opt('reportToOwner', e.boolean('reportToOwner')),
    ...opt('reportToOriginator', e.boolean('reportToOriginator')),
    ...opt('oofReplyToOriginator', e.boolean('oOFReplyToOriginator')),
    ...opt('enableModeration', e.boolean('msExchEnableModeration')),
    ...opt('moderationFlags', e.number('msExchModerationFlags')),
    ...opt('joinRestriction', e.number('msExchGroupJoinRestriction')),
    ...opt('departRestriction', e.number('msExchGroupDepartRestriction')),
    senderHintTranslations: e.strings('msExchSenderHintTranslations'),
    extensionAttributes: {},
    extensionCustomAttributes: {},
  };
  for (let i = 1; i <= 15; i++) {
    const v = e.string(`extensionAttribute${i}`);
    if (v !== undefined) settings.extensionAttributes[i] = v;
  }
  for (let i = 1; i <= 5; i++) {
    const v = e.strings(`msExchExtensionCustomAttribute${i}`);
    if (v.length > 0) settings.extensionCustomAttributes[i] = v;
  }
  const marker = markerOf(
    {
      extensionAttribute1: e.string('extensionAttribute1'),
      extensionAttribute2: e.string('extensionAttribute2'),
    },
    tag,
  );
  const raw = e.raw();
  return {
    dn: e.dn,
    parentDn: parentDn(e.dn),
    objectGuid: guidToString(e.buffer('objectGUID') ?? Buffer.alloc(16)),
    objectSid: e.has('objectSid') ? sidToString(e.buffer('objectSid') as Buffer) : '',
    name: e.string('name') ?? '',
    cn: e.string('cn') ?? '',
    ...opt('displayName', e.string('displayName')),
    ...opt('displayNamePrintable', e.string('displayNamePrintable')),
    ...opt('description', e.string('description')),
    sAMAccountName: e.string('sAMAccountName') ?? '',
    ...opt('mailNickname', e.string('mailNickname')),
    ...opt('mail', e.string('mail')),
    proxyAddresses: e.strings('proxyAddresses').map(parseProxyAddress),
    ...opt('legacyExchangeDN', e.string('legacyExchangeDN')),
    ...(e.strings('showInAddressBook').length > 0
      ? { showInAddressBook: e.strings('showInAddressBook') }
      : {}),
    ...opt('externalDirectoryObjectId', e.string('msDS-ExternalDirectoryObjectId')),
    groupType: decodeGroupType(e.string('groupType') ?? '0'),
    ...opt('recipientTypeDetails', e.number('msExchRecipientTypeDetails')),
    ...opt('recipientDisplayType', e.number('msExchRecipientDisplayType')),
    links: forward,
    backLinks: back,
    settings,
    sendAs,
    skippedSendAs: skipped,
    protectedFromAccidentalDeletion: sd ? isProtectedFromAccidentalDeletion(sd) : false,
    ...opt('adminCount', e.number('adminCount')),
    ...opt('marker', marker),
    raw,
  };
}

/**
 * Trustees by SID (never by sAMAccountName, which is ambiguous across domains — E17): SELF is the
 * group itself; NT AUTHORITY and other well-known SIDs are skipped; SIDs no object carries any more
 * (deleted principals, #16) are skipped as orphaned.
 */
async function resolveSendAs(
  conn: AdConnection,
  groupDn: string,
  sids: string[],
): Promise<{ sendAs: SendAsTrustee[]; skipped: SkippedTrustee[] }> {
  const sendAs: SendAsTrustee[] = [];
  const skipped: SkippedTrustee[] = [];
  await Promise.all(
    sids.map(async (sid) => {
      if (sid === SID_SELF) {
        sendAs.push({ sid, dn: groupDn, self: true });
        return;
      }
      if (isWellKnownSid(sid)) {
        skipped.push({ sid, reason: 'well-known' });
        return;
      }
      const entry = await conn.read(`<SID=${sid}>`, { gc: true, attributes: ['distinguishedName'] });
      if (!entry) skipped.push({ sid, reason: 'orphaned' });
      else sendAs.push({ sid, dn: entry.string('distinguishedName') ?? entry.dn, self: false });
    }),
  );
  sendAs.sort((a, b) => a.sid.localeCompare(b.sid));
  skipped.sort((a, b) => a.sid.localeCompare(b.sid));
  return { sendAs, skipped };
}
