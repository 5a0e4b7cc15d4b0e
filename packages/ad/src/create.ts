// Phase 17 (routing contact) and phase 18 (hybrid dynamic DL), written directly over LDAP with the
// attributes Exchange itself would stamp — no on-prem Exchange server needed. Attributes the schema
// lacks are left out (and reported), never sent.
import type { AdConnection } from './connection.js';
import { childDn } from './dn.js';
import { AdError, isAdError } from './errors.js';
import {
  DYNAMIC_DL_EXCHANGE_VERSION,
  MAIL_CONTACT_EXCHANGE_VERSION,
  MODERATION_NOTIFICATIONS_ALWAYS,
  newLegacyExchangeDn,
} from './exchange-stamp.js';
import { escapeFilterValue } from './filter.js';
import { sidToBuffer, SID_SELF } from './ids.js';
import { assertCn, normalizeSmtpAddress } from './naming.js';
import { DISPLAY_TYPE_DYNAMIC_DL, DISPLAY_TYPE_ROUTING_CONTACT, MIGRATION_TAG } from './recipient.js';
import type { ExchangeSchemaFacts } from './types.js';

/** Exchange's "email address policies off" marker (msExchPoliciesExcluded). */
const EXCLUDED_ADDRESS_POLICY = '{26491cfc-9e50-4857-861b-0cb8df22b5d7}';
const TYPE_DETAILS_MAIL_CONTACT = 64;
const TYPE_DETAILS_DYNAMIC_DL = 8;

export interface RoutingContactSpec {
  /** Container to create it in (the group's original OU). */
  parentDn: string;
  cn: string;
  displayName: string;
  mail: string;
  mailNickname: string;
  /** The cloud routing address, e.g. `SMTP:ALIAS@TENANT.MAIL.ONMICROSOFT.COM` (prefix optional). */
  targetAddress: string;
  /** Stored in extensionAttribute2 (the new cloud DL's ExternalDirectoryObjectId). */
  cloudId: string;
  /** Proxy addresses besides `SMTP:<mail>` (e.g. X500 of the group). */
  extraProxyAddresses?: string[];
  description?: string;
  givenName?: string;
  tag?: string;
  /**
   * `/o=…/ou=…/cn=Recipients` of the organisation (recipientsContainerOf the original group's legacyExchangeDN): the
   * contact gets a legacyExchangeDN of its own there, as every recipient Exchange creates does. Without it (a forest
   * whose groups carry none) the contact has none either.
   */
  legacyExchangeDnContainer?: string;
}

export interface CreateResult {
  dn: string;
  /** Attributes of the standard set the schema lacks, hence not written. */
  skippedAttributes: string[];
}

async function addSchemaAware(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  dn: string,
  attributes: Record<string, (string | Buffer)[]>,
  required: string[],
): Promise<CreateResult> {
  const names = Object.keys(attributes);
  const present = new Set((await schema.present(names)).map((n) => n.toLowerCase()));
  const skippedAttributes = names.filter((n) => !present.has(n.toLowerCase()));
  const missingRequired = required.filter((n) => !present.has(n.toLowerCase()));
  if (missingRequired.length > 0) {
    throw new AdError(
      'AD_ATTRIBUTE_NOT_IN_SCHEMA',
      `Cannot create ${dn}: the schema has no ${missingRequired.join(', ')}. Extend the schema with the Exchange attributes first.`,
      { dn },
    );
  }
  const kept = Object.fromEntries(
    Object.entries(attributes).filter(([n, v]) => present.has(n.toLowerCase()) && v.length > 0),
  );
  await conn.add(dn, kept);
  return { dn, skippedAttributes };
}

/**
 * Create the routing contact `<cn>` in `parentDn`: a hidden mail contact whose targetAddress
 * forwards to the cloud DL, tagged ext1 = MigratedByScript / ext2 = cloud id so it is recognised.
 * An existing contact with that DN is reported as AD_ALREADY_EXISTS (the caller decides to reuse it).
 */
export async function createRoutingContact(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  spec: RoutingContactSpec,
): Promise<CreateResult> {
  assertCn(spec.cn);
  const mail = normalizeSmtpAddress(spec.mail);
  const target = normalizeSmtpAddress(spec.targetAddress);
  const tag = spec.tag ?? MIGRATION_TAG;
  const dn = childDn('CN', spec.cn, spec.parentDn);
  const attributes: Record<string, (string | Buffer)[]> = {
    objectClass: ['top', 'person', 'organizationalPerson', 'contact'],
    cn: [spec.cn],
    displayName: [spec.displayName],
    description: [
      spec.description ??
        'Mail routing contact created by dlmigrate for a distribution list migrated to Exchange Online. DO NOT DELETE.',
    ],
    givenName: [spec.givenName ?? spec.displayName],
    sn: [tag],
    mail: [mail],
    mailNickname: [spec.mailNickname],
    proxyAddresses: [`SMTP:${mail}`, ...(spec.extraProxyAddresses ?? [])],
    targetAddress: [`SMTP:${target}`.toUpperCase()],
    extensionAttribute1: [tag],
    extensionAttribute2: [spec.cloudId],
    ...(spec.legacyExchangeDnContainer === undefined
      ? {}
      : { legacyExchangeDN: [newLegacyExchangeDn(spec.legacyExchangeDnContainer, spec.mailNickname)] }),
    msExchVersion: [MAIL_CONTACT_EXCHANGE_VERSION],
    // Hidden, so no address list holds it: Exchange stamps no showInAddressBook on a hidden recipient.
    msExchHideFromAddressLists: ['TRUE'],
    msExchRecipientDisplayType: [String(DISPLAY_TYPE_ROUTING_CONTACT)],
    msExchRecipientTypeDetails: [String(TYPE_DETAILS_MAIL_CONTACT)],
    // SELF as master account lets Exchange accept the contact where a security principal is expected.
    msExchMasterAccountSid: [sidToBuffer(SID_SELF)],
    msExchPoliciesExcluded: [EXCLUDED_ADDRESS_POLICY],
  };
  return addSchemaAware(conn, schema, dn, attributes, [
    'mail',
    'targetAddress',
    'extensionAttribute1',
    'extensionAttribute2',
  ]);
}

export interface HybridDynamicGroupSpec {
  parentDn: string;
  /** The original group's name / CN. */
  cn: string;
  displayName: string;
  mailNickname: string;
  /** The original primary SMTP address. */
  mail: string;
  /** The original proxy addresses; the routing contact's targetAddress is removed from them. */
  proxyAddresses: string[];
  /** The original group's legacyExchangeDN, kept reachable as an X500 proxy. */
  legacyExchangeDN?: string;
  /** Routing contact's extensionAttribute2 (cloud id): the dynamic DL expands to exactly that contact. */
  cloudId: string;
  /** Routing contact's targetAddress, excluded from the proxies (it belongs to the cloud DL). */
  routingAddress?: string;
  /** Container the contact lives in (the dynamic DL's recipient container). Default: parentDn. */
  recipientContainerDn?: string;
  requireAuthToSendTo?: boolean;
  hiddenFromAddressLists?: boolean;
  tag?: string;
  /** As for the routing contact: where the dynamic DL's own legacyExchangeDN goes. */
  legacyExchangeDnContainer?: string;
  /**
   * The address lists the original group showed in (its showInAddressBook): the dynamic DL takes its place there.
   * Not written when hidden.
   */
  showInAddressBook?: string[];
  /** The original group's delivery-report and out-of-office settings, carried over (absent: Exchange's defaults). */
  reportToOriginator?: boolean;
  reportToOwner?: boolean;
  oofReplyToOriginator?: boolean;
  /** The original group's msExchModerationFlags; New-DynamicDistributionGroup's default (Always) without one. */
  moderationFlags?: number;
}

function booleanAttribute(name: string, value: boolean | undefined): Record<string, string[]> {
  return value === undefined ? {} : { [name]: [value ? 'TRUE' : 'FALSE'] };
}

/** OPATH string literal: single quotes doubled. */
function opathString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Create the on-prem dynamic distribution list that keeps the original addresses and expands to the
 * routing contact (phase 18). Dynamic DLs are not synced by Entra Connect, so nothing collides
 * with the cloud DL. Needs the msExchDynamicDistributionList class in the schema.
 */
export async function createHybridDynamicGroup(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  spec: HybridDynamicGroupSpec,
): Promise<CreateResult> {
  assertCn(spec.cn);
  if (!schema.hasDynamicDistributionListClass) {
    throw new AdError(
      'AD_ATTRIBUTE_NOT_IN_SCHEMA',
      'The schema has no msExchDynamicDistributionList class; extend the schema with Exchange before enabling hybrid mail flow.',
    );
  }
  const mail = normalizeSmtpAddress(spec.mail);
  const tag = spec.tag ?? MIGRATION_TAG;
  const routing = spec.routingAddress ? normalizeSmtpAddress(spec.routingAddress).toLowerCase() : undefined;
  const proxies = new Map<string, string>();
  proxies.set(`smtp:${mail.toLowerCase()}`, `SMTP:${mail}`);
  for (const p of spec.proxyAddresses) {
    const colon = p.indexOf(':');
    const address = colon > 0 ? p.slice(colon + 1) : p;
    if (routing && address.toLowerCase() === routing) continue;
    const key = p.toLowerCase();
    if (key === `smtp:${mail.toLowerCase()}`) continue;
    // Only one primary SMTP: the original mail.
    const value = /^SMTP:/.test(p) ? `smtp:${address}` : p;
    if (!proxies.has(key)) proxies.set(key, value);
  }
  if (spec.legacyExchangeDN) {
    const x500 = `X500:${spec.legacyExchangeDN}`;
    if (!proxies.has(x500.toLowerCase())) proxies.set(x500.toLowerCase(), x500);
  }
  const container = spec.recipientContainerDn ?? spec.parentDn;
  const ldapFilter = `(&(objectClass=contact)(extensionAttribute1=${escapeFilterValue(tag)})(extensionAttribute2=${escapeFilterValue(spec.cloudId)}))`;
  const opath = `((RecipientType -eq 'MailContact') -and (CustomAttribute1 -eq ${opathString(tag)}) -and (CustomAttribute2 -eq ${opathString(spec.cloudId)}))`;
  const dn = childDn('CN', spec.cn, spec.parentDn);
  const attributes: Record<string, (string | Buffer)[]> = {
    objectClass: ['top', 'msExchDynamicDistributionList'],
    cn: [spec.cn],
    displayName: [spec.displayName],
    mailNickname: [spec.mailNickname],
    mail: [mail],
    proxyAddresses: [...proxies.values()],
    msExchDynamicDLBaseDN: [container],
    msExchDynamicDLFilter: [ldapFilter],
    msExchQueryFilter: [opath],
    msExchRecipientDisplayType: [String(DISPLAY_TYPE_DYNAMIC_DL)],
    msExchRecipientTypeDetails: [String(TYPE_DETAILS_DYNAMIC_DL)],
    msExchRequireAuthToSendTo: [spec.requireAuthToSendTo ? 'TRUE' : 'FALSE'],
    ...(spec.hiddenFromAddressLists === undefined
      ? {}
      : { msExchHideFromAddressLists: [spec.hiddenFromAddressLists ? 'TRUE' : 'FALSE'] }),
    ...(spec.hiddenFromAddressLists === true || (spec.showInAddressBook ?? []).length === 0
      ? {}
      : { showInAddressBook: [...spec.showInAddressBook!] }),
    ...(spec.legacyExchangeDnContainer === undefined
      ? {}
      : { legacyExchangeDN: [newLegacyExchangeDn(spec.legacyExchangeDnContainer, spec.mailNickname)] }),
    msExchVersion: [DYNAMIC_DL_EXCHANGE_VERSION],
    msExchModerationFlags: [String(spec.moderationFlags ?? MODERATION_NOTIFICATIONS_ALWAYS)],
    ...booleanAttribute('reportToOriginator', spec.reportToOriginator),
    ...booleanAttribute('reportToOwner', spec.reportToOwner),
    ...booleanAttribute('oOFReplyToOriginator', spec.oofReplyToOriginator),
    // The original addresses are kept as they are: no email address policy may rewrite them (DLConversionV2 switches
    // the policy off on the routing contact the same way).
    msExchPoliciesExcluded: [EXCLUDED_ADDRESS_POLICY],
  };
  try {
    return await addSchemaAware(conn, schema, dn, attributes, [
      'mail',
      'proxyAddresses',
      'msExchDynamicDLFilter',
      'msExchDynamicDLBaseDN',
    ]);
  } catch (error) {
    if (isAdError(error, 'AD_ALREADY_EXISTS')) {
      throw new AdError(
        'AD_ALREADY_EXISTS',
        `An object named ${spec.cn} already exists in ${spec.parentDn}; the original group must be deleted or renamed (retained as "${spec.cn}!") before its dynamic DL can take the name.`,
        { dn },
        { cause: error },
      );
    }
    throw error;
  }
}
