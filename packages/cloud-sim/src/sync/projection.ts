// How an on-premises object appears in the tenant after sync: recipient type, addresses
// (proxyAddresses/mail + the routing and initial-domain addresses + X500 of the on-premises
// legacyExchangeDN), links (only to objects that are themselves synced) and the DL settings
// from the Exchange attributes.
import { RecipientDirectory } from '../exchange/directory.js';
import { newRecipient, type Recipient, type RecipientTypeDetails } from '../exchange/recipient.js';
import { mailTipHtml } from '../exchange/settings.js';
import type { TenantState } from '../state.js';
import { all, first, type DirectoryEntry } from './ldap-reader.js';

const securityBit = 0x80000000;
const universalBit = 0x8;
const roomListDetails = '268435456';
const remoteMailboxDetails = ['2147483648', '8589934592', '17179869184', '34359738368']; // remote user/room/equipment/shared

function bool(e: DirectoryEntry, name: string): boolean {
  return first(e, name)?.toUpperCase() === 'TRUE';
}

function classes(e: DirectoryEntry): string[] {
  return all(e, 'objectClass').map((c) => c.toLowerCase());
}

/**
 * Exchange Online provisions a recipient only for mail-enabled objects: users and groups carry a
 * mailNickname or proxyAddresses (Exchange's stamps); contacts need at least an address.
 */
function isMailEnabled(e: DirectoryEntry): boolean {
  if (all(e, 'proxyAddresses').length > 0) return true;
  if (classes(e).includes('contact'))
    return first(e, 'mail') !== undefined || first(e, 'targetAddress') !== undefined;
  return first(e, 'mailNickname') !== undefined && first(e, 'mail') !== undefined;
}

/** The object id Entra wrote back to msDS-ExternalDirectoryObjectId ("Group_<id>"), if any. */
function writtenBackObjectId(e: DirectoryEntry): string | undefined {
  const m = /^(?:[A-Za-z]+_)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(
    first(e, 'msDS-ExternalDirectoryObjectId') ?? '',
  );
  return m?.[1]?.toLowerCase();
}

/** The written-back id unless Entra already used it for an object that has since been deleted. */
function reusableObjectId(e: DirectoryEntry, tenant: TenantState): string | undefined {
  const id = writtenBackObjectId(e);
  if (!id || tenant.retiredObjectIds.includes(id)) return undefined;
  if (RecipientDirectory.of(tenant).byKey(`id:${id}`).length > 0) return undefined;
  return id;
}

/** Users are synced whether or not they are mail-enabled (then they are plain directory users). */
export function isSyncedObject(e: DirectoryEntry): boolean {
  const cls = classes(e);
  return isMailEnabled(e) || (cls.includes('user') && !cls.includes('computer'));
}

function recipientTypeFor(e: DirectoryEntry): RecipientTypeDetails {
  const cls = classes(e);
  if (cls.includes('user') && !cls.includes('computer') && !isMailEnabled(e)) return 'User';
  if (cls.includes('group')) {
    if (first(e, 'msExchRecipientTypeDetails') === roomListDetails) return 'RoomList';
    const type = Number(first(e, 'groupType') ?? 0) >>> 0;
    if (type & securityBit) return 'MailUniversalSecurityGroup';
    return type & universalBit ? 'MailUniversalDistributionGroup' : 'MailNonUniversalGroup';
  }
  if (cls.includes('contact')) return 'MailContact';
  const details = first(e, 'msExchRecipientTypeDetails');
  if (details && remoteMailboxDetails.includes(details)) return 'UserMailbox';
  // A mailbox type without a home database can only live in the cloud (the lab has no servers).
  if (details === '1' && !first(e, 'homeMDB')) return 'UserMailbox';
  return 'MailUser';
}

function rdnValue(dn: string): string {
  const m = /^[^=]+=((?:\\.|[^,])*)/.exec(dn);
  return (m?.[1] ?? dn).replace(/\\(.)/g, '$1');
}

/**
 * proxyAddresses (or SMTP:mail) + X500:legacyExchangeDN + the initial-domain address and, unless
 * `routingDomain` is null, the routing-domain address. In a real hybrid the routing address comes
 * from the on-premises email address policy, so a synced object may well lack it (SyncConfig
 * stampRoutingAddress).
 */
function projectedAddresses(
  e: DirectoryEntry,
  alias: string,
  tenant: TenantState,
  routingDomain: string | null,
): string[] {
  const mail = first(e, 'mail');
  const list = [...all(e, 'proxyAddresses')];
  if (!list.some((a) => a.startsWith('SMTP:')) && mail) {
    const i = list.findIndex((a) => a.toLowerCase() === `smtp:${mail.toLowerCase()}`);
    if (i >= 0) list.splice(i, 1);
    list.unshift(`SMTP:${mail}`);
  }
  const has = (a: string) => list.some((x) => x.toLowerCase() === a.toLowerCase());
  const legacy = first(e, 'legacyExchangeDN');
  if (legacy && !has(`X500:${legacy}`)) list.push(`X500:${legacy}`);
  if (!classes(e).includes('contact')) {
    for (const domain of routingDomain === null
      ? [tenant.initialDomain]
      : [routingDomain, tenant.initialDomain]) {
      const a = `smtp:${alias}@${domain}`;
      if (!has(a)) list.push(a);
    }
  }
  return list;
}

export interface LinkResolver {
  /** Recipient Guid of a synced object by on-premises DN, or undefined if it isn't synced. */
  (dn: string): string | undefined;
}

function links(e: DirectoryEntry, names: string[], resolve: LinkResolver): string[] {
  const out: string[] = [];
  for (const n of names)
    for (const dn of all(e, n)) {
      const g = resolve(dn);
      if (g && !out.includes(g)) out.push(g);
    }
  return out;
}

const joinRestriction = ['Closed', 'Open', 'ApprovalRequired'] as const;

/** The recipient this entry projects to, reusing identity (Guid, object id, cloud LegacyExchangeDN) of `existing`. */
export function project(
  e: DirectoryEntry,
  tenant: TenantState,
  routingDomain: string,
  stampRoutingAddress: boolean,
  guid: string,
  existing: Recipient | undefined,
  resolve: LinkResolver,
  now: string,
): Recipient {
  const type = recipientTypeFor(e);
  const name = first(e, 'cn') ?? rdnValue(e.dn);
  const alias = first(e, 'mailNickname') ?? name.replace(/[^A-Za-z0-9._-]/g, '');
  const addresses = projectedAddresses(e, alias, tenant, stampRoutingAddress ? routingDomain : null);
  const primary =
    type === 'User'
      ? ''
      : (addresses.find((a) => a.startsWith('SMTP:'))?.slice(5) ??
        first(e, 'mail') ??
        `${alias}@${routingDomain}`);
  const target = first(e, 'targetAddress');
  const r = newRecipient({
    Name: name.slice(0, 64),
    Alias: alias,
    DisplayName: first(e, 'displayName') ?? name,
    PrimarySmtpAddress: primary,
    EmailAddresses: addresses,
    RecipientTypeDetails: type,
    ExternalEmailAddress:
      type === 'MailContact'
        ? (target ?? first(e, 'mail'))
        : type === 'MailUser'
          ? (target ?? `${alias}@${routingDomain}`)
          : undefined,
    UserPrincipalName: first(e, 'userPrincipalName'),
    Guid: guid,
    // A new object keeps the id Entra once wrote back to AD, so on-premises and cloud agree.
    ExternalDirectoryObjectId: existing?.ExternalDirectoryObjectId ?? reusableObjectId(e, tenant),
    now: existing?.WhenCreatedUTC ?? now,
  });
  if (existing) r.LegacyExchangeDN = existing.LegacyExchangeDN;
  r.IsDirSynced = true;
  r.SimpleDisplayName = first(e, 'displayNamePrintable') ?? '';
  r.Notes = first(e, 'info') ?? null;
  r.HiddenFromAddressListsEnabled = bool(e, 'msExchHideFromAddressLists');
  r.RequireSenderAuthenticationEnabled = bool(e, 'msExchRequireAuthToSendTo');
  r.ModerationEnabled = bool(e, 'msExchEnableModeration');
  const flags = first(e, 'msExchModerationFlags');
  const f = flags === undefined ? 6 : Number(flags);
  r.SendModerationNotifications = (f & 4) !== 0 ? 'Always' : (f & 2) !== 0 ? 'Internal' : 'Never';
  r.BypassNestedModerationEnabled = (f & 1) !== 0;
  r.ReportToManagerEnabled = bool(e, 'reportToOwner');
  r.ReportToOriginatorEnabled = bool(e, 'reportToOriginator');
  r.SendOofMessageToOriginatorEnabled = bool(e, 'oofReplyToOriginator');
  const join = first(e, 'msExchGroupJoinRestriction');
  r.MemberJoinRestriction = join !== undefined ? (joinRestriction[Number(join)] ?? 'Closed') : 'Closed';
  const depart = first(e, 'msExchGroupDepartRestriction');
  r.MemberDepartRestriction =
    depart !== undefined
      ? (joinRestriction[Number(depart)] ?? 'Closed')
      : type === 'MailUniversalSecurityGroup'
        ? 'Closed'
        : 'Open';
  // MailTip is the "default:" translation, both ways (Set-DistributionGroup.md, MailTip).
  const translations = all(e, 'msExchSenderHintTranslations');
  const tip = translations.find((t) => /^default:/i.test(t));
  r.MailTip = mailTipHtml(tip ? tip.slice('default:'.length) : null);
  const others = translations.filter((t) => !/^default:/i.test(t));
  r.MailTipTranslations = r.MailTip === null ? others : [`default:${r.MailTip}`, ...others];
  for (let i = 1; i <= 15; i++) r.custom[`CustomAttribute${i}`] = first(e, `extensionAttribute${i}`) ?? null;
  for (let i = 1; i <= 5; i++)
    r.extension[`ExtensionCustomAttribute${i}`] = all(e, `msExchExtensionCustomAttribute${i}`);
  r.ManagedBy = links(e, ['managedBy', 'msExchCoManagedByLink'], resolve);
  r.ModeratedBy = links(e, ['msExchModeratedByLink'], resolve);
  r.AcceptMessagesOnlyFromSendersOrMembers = links(e, ['authOrig', 'dLMemSubmitPerms'], resolve);
  r.RejectMessagesFromSendersOrMembers = links(e, ['unauthOrig', 'dLMemRejectPerms'], resolve);
  r.BypassModerationFromSendersOrMembers = links(
    e,
    ['msExchBypassModerationLink', 'msExchBypassModerationFromDLMembersLink'],
    resolve,
  );
  r.GrantSendOnBehalfTo = links(e, ['publicDelegates'], resolve);
  r.Members =
    (type.startsWith('Mail') && type.includes('Group')) || type === 'RoomList'
      ? links(e, ['member'], resolve)
      : [];
  // Settings that live only in Exchange Online survive sync.
  if (existing) {
    r.ForwardingAddress = existing.ForwardingAddress;
    r.ForwardingSmtpAddress = existing.ForwardingSmtpAddress;
    r.DeliverToMailboxAndForward = existing.DeliverToMailboxAndForward;
    if (r.RecipientType === 'UserMailbox') r.GrantSendOnBehalfTo = existing.GrantSendOnBehalfTo;
  }
  r.dir = {
    onPremisesSyncEnabled: true,
    isCloudManaged: false,
    sourceAnchor: e.objectGuid,
    onPremisesDistinguishedName: e.dn,
    onPremisesSecurityIdentifier: e.sid,
    onPremisesSamAccountName: first(e, 'sAMAccountName'),
    onPremisesLastSyncDateTime: existing?.dir.onPremisesLastSyncDateTime ?? now,
    securityEnabled:
      type === 'MailUniversalSecurityGroup' ||
      type === 'UserMailbox' ||
      type === 'MailUser' ||
      type === 'User',
    description: first(e, 'description'),
    createdDateTime: existing?.dir.createdDateTime ?? now,
  };
  if (existing) r.WhenChangedUTC = existing.WhenChangedUTC;
  return r;
}
