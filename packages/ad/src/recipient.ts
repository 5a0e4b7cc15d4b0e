// Pure decoding of recipient attributes: proxy addresses, groupType, and the recipient classes of
// docs/reference-behaviour.md#recipient-classes (first match wins, in the same order), plus the markers left by earlier
// migrations (ours and DLConversionV2 use the same ones, so both are recognised).
import type { GroupScope, GroupType, MigrationMarker, ProxyAddress, RecipientKind } from './types.js';

export const MIGRATION_TAG = 'MigratedByScript';
export const ROUTING_SUFFIX = '-MigratedByScript';
export const DISPLAY_TYPE_DYNAMIC_DL = 3;
export const DISPLAY_TYPE_ROUTING_CONTACT = 6;
const TYPE_DETAILS_MAIL_USER = 128;

const GROUP_TYPE_SECURITY = 0x80000000;
const GROUP_TYPE_GLOBAL = 0x2;
const GROUP_TYPE_DOMAIN_LOCAL = 0x4;
const GROUP_TYPE_UNIVERSAL = 0x8;

export function parseProxyAddress(raw: string): ProxyAddress {
  const colon = raw.indexOf(':');
  if (colon <= 0) return { prefix: '', primary: false, address: raw, raw };
  const prefix = raw.slice(0, colon);
  return {
    prefix,
    primary: prefix === prefix.toUpperCase() && prefix !== prefix.toLowerCase(),
    address: raw.slice(colon + 1),
    raw,
  };
}

export function decodeGroupType(value: number | string): GroupType {
  const raw = typeof value === 'string' ? Number.parseInt(value, 10) : value;
  const bits = raw >>> 0;
  const scope: GroupScope =
    bits & GROUP_TYPE_UNIVERSAL
      ? 'universal'
      : bits & GROUP_TYPE_DOMAIN_LOCAL
        ? 'domainLocal'
        : bits & GROUP_TYPE_GLOBAL
          ? 'global'
          : 'universal';
  return { raw: raw | 0, scope, security: (bits & GROUP_TYPE_SECURITY) !== 0 };
}

export function encodeGroupType(scope: GroupScope, security: boolean): number {
  const bits =
    scope === 'universal'
      ? GROUP_TYPE_UNIVERSAL
      : scope === 'global'
        ? GROUP_TYPE_GLOBAL
        : GROUP_TYPE_DOMAIN_LOCAL;
  return bits | (security ? GROUP_TYPE_SECURITY : 0) | 0;
}

/** The attributes classification needs, in the shape returned by a search (strings, first value). */
export interface RecipientFacts {
  objectClasses: string[];
  mail?: string;
  userPrincipalName?: string;
  targetAddress?: string;
  recipientDisplayType?: number;
  recipientTypeDetails?: number;
  groupType?: GroupType;
  extensionAttribute1?: string;
  extensionAttribute2?: string;
}

export function markerOf(
  facts: Pick<RecipientFacts, 'extensionAttribute1' | 'extensionAttribute2'>,
  tag = MIGRATION_TAG,
): MigrationMarker | undefined {
  if (facts.extensionAttribute1?.toLowerCase() !== tag.toLowerCase()) return undefined;
  return {
    tag: facts.extensionAttribute1,
    ...(facts.extensionAttribute2 ? { value: facts.extensionAttribute2 } : {}),
  };
}

/** Most specific class among the ones migration cares about (objectClass lists every superclass). */
export function structuralClass(objectClasses: string[]): string {
  const lower = objectClasses.map((c) => c.toLowerCase());
  for (const c of [
    'computer',
    'msexchdynamicdistributionlist',
    'foreignsecurityprincipal',
    'group',
    'contact',
    'user',
    'inetorgperson',
    'organizationalunit',
    'container',
  ]) {
    if (lower.includes(c)) return objectClasses[lower.indexOf(c)] as string;
  }
  return objectClasses[objectClasses.length - 1] ?? 'top';
}

export function classifyRecipient(
  facts: RecipientFacts,
  tag = MIGRATION_TAG,
): { kind: RecipientKind; lookupAddress?: string; marker?: MigrationMarker } {
  const cls = structuralClass(facts.objectClasses).toLowerCase();
  const marker = markerOf(facts, tag);
  const hasDisplayType = facts.recipientDisplayType !== undefined;
  const withMail = (kind: RecipientKind) => ({ kind, ...(facts.mail ? { lookupAddress: facts.mail } : {}) });
  if (cls === 'msexchdynamicdistributionlist' || facts.recipientDisplayType === DISPLAY_TYPE_DYNAMIC_DL)
    return withMail('dynamic-dl');
  if (cls === 'computer' || cls === 'foreignsecurityprincipal') return { kind: 'other' };
  if (cls === 'user' || cls === 'inetorgperson' || cls === 'contact') {
    if (marker && (hasDisplayType || facts.mail))
      return { kind: 'routing-contact', marker, ...(marker.value ? { lookupAddress: marker.value } : {}) };
    if (hasDisplayType) {
      if (cls === 'contact') return withMail('mail-contact');
      if (facts.recipientTypeDetails === TYPE_DETAILS_MAIL_USER) return withMail('mail-user');
      // Remote mailboxes also carry a targetAddress, but are mailboxes (RecipientTypeDetails 2^31).
      if (facts.targetAddress && facts.recipientTypeDetails !== 2147483648) return withMail('mail-user');
      return withMail('mailbox');
    }
    if (cls === 'contact') return facts.mail ? withMail('mail-only-contact') : { kind: 'other' };
    return { kind: 'user', ...(facts.userPrincipalName ? { lookupAddress: facts.userPrincipalName } : {}) };
  }
  if (cls === 'group') {
    if (marker)
      return { kind: 'retained-group', marker, ...(marker.value ? { lookupAddress: marker.value } : {}) };
    if (hasDisplayType) return withMail('mail-enabled-group');
    if (facts.mail && facts.groupType?.security) return withMail('mail-only-security-group');
    return { kind: 'non-mail-group' };
  }
  return { kind: 'other' };
}
