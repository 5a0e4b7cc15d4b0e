// The group's links to other objects (research §2 phase 7): which on-prem attributes feed which cloud list, and the
// rules deciding whether a linked object can follow the group to the cloud.
import { finding, type Finding } from '../findings/finding.js';
import { DYNAMIC_DL_DISPLAY_TYPE, isSecurityGroupType } from './group-type.js';
import { MIGRATED_MARKER } from './names.js';

export type LinkList =
  | 'members'
  | 'managedBy'
  | 'moderatedBy'
  | 'acceptFrom'
  | 'rejectFrom'
  | 'bypassModeration'
  | 'sendOnBehalf'
  | 'sendAs';

/** On-prem forward links feeding each list. Send-As comes from the group's ACL, not from an attribute. */
export const LINK_SOURCES: Readonly<Record<Exclude<LinkList, 'sendAs'>, readonly string[]>> = {
  members: ['member'],
  managedBy: ['managedBy', 'msExchCoManagedByLink'],
  moderatedBy: ['msExchModeratedByLink'],
  acceptFrom: ['authOrig', 'dLMemSubmitPerms'],
  rejectFrom: ['unauthOrig', 'dLMemRejectPerms'],
  bypassModeration: ['msExchBypassModerationLink', 'msExchBypassModerationFromDLMembersLink'],
  sendOnBehalf: ['publicDelegates'],
};

/** The Set-DistributionGroup parameter each list is written to (members use Update-DistributionGroupMember). */
export const CLOUD_PARAMETER: Readonly<Record<Exclude<LinkList, 'members' | 'sendAs'>, string>> = {
  managedBy: 'ManagedBy',
  moderatedBy: 'ModeratedBy',
  acceptFrom: 'AcceptMessagesOnlyFromSendersOrMembers',
  rejectFrom: 'RejectMessagesFromSendersOrMembers',
  bypassModeration: 'BypassModerationFromSendersOrMembers',
  sendOnBehalf: 'GrantSendOnBehalfTo',
};

/** What the directory says about a linked object; the AD package's resolved recipient supplies these. */
export interface LinkedObjectFacts {
  readonly dn: string;
  /** objectClass values, any case. */
  readonly objectClasses: readonly string[];
  readonly mail?: string | undefined;
  readonly userPrincipalName?: string | undefined;
  /** msExchRecipientDisplayType: present means Exchange knows the object as a recipient. */
  readonly recipientDisplayType?: number | undefined;
  readonly groupType?: number | undefined;
  /** msDS-ExternalDirectoryObjectId written back by the sync: `User_<guid>`, `Group_<guid>` or a bare guid. */
  readonly externalDirectoryObjectId?: string | undefined;
  readonly extensionAttribute1?: string | undefined;
  readonly extensionAttribute2?: string | undefined;
}

export type LinkResolution =
  | {
      readonly kind: 'recipient';
      readonly dn: string;
      /** How Exchange Online is asked for it: the Entra object id when known, else the address. */
      readonly identity: string;
      readonly isGroup: boolean;
      /** A routing contact or retained group of an earlier migration: the identity is the migrated cloud group. */
      readonly alreadyMigrated: boolean;
    }
  | { readonly kind: 'user'; readonly dn: string; readonly identity: string }
  /** The migrated group itself in one of its own permission lists (#109): becomes the new DL. */
  | { readonly kind: 'self'; readonly dn: string }
  | { readonly kind: 'rejected'; readonly dn: string; readonly finding: Finding };

export interface LinkContext {
  readonly list: LinkList;
  readonly attribute: string;
  /** DN of the group being migrated. */
  readonly groupDn: string;
  readonly skipNestedGroupCheck: boolean;
}

/** `User_<guid>` → `<guid>`: Exchange Online knows the object by the bare Entra id. */
export function cloudObjectId(externalDirectoryObjectId: string | undefined): string | undefined {
  if (externalDirectoryObjectId === undefined || externalDirectoryObjectId === '') return undefined;
  const underscore = externalDirectoryObjectId.indexOf('_');
  return underscore >= 0 ? externalDirectoryObjectId.slice(underscore + 1) : externalDirectoryObjectId;
}

function sameDn(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Research §2 phase 7 classification, first match wins; `skipNestedGroupCheck` only affects membership (§4). */
export function resolveLink(object: LinkedObjectFacts, context: LinkContext): LinkResolution {
  const classes = object.objectClasses.map((c) => c.toLowerCase());
  const has = (c: string) => classes.includes(c);
  const mailEnabled = object.recipientDisplayType !== undefined;
  const membership = context.list === 'members';
  const migrated = object.extensionAttribute1 === MIGRATED_MARKER && (object.extensionAttribute2 ?? '') !== '';
  const recipient = (identity: string | undefined, isGroup: boolean, alreadyMigrated = false): LinkResolution =>
    identity === undefined
      ? reject('OBJECT_NOT_MAIL_ENABLED_EXCEPTION', 'it has neither a cloud object id nor an address')
      : { kind: 'recipient', dn: object.dn, identity, isGroup, alreadyMigrated };
  const reject = (code: 'NESTED_GROUP_EXCEPTION' | 'OBJECT_NOT_MAIL_ENABLED_EXCEPTION', why: string): LinkResolution => ({
    kind: 'rejected',
    dn: object.dn,
    finding: finding(code, object.mail ?? object.dn, `${object.dn} in ${context.attribute}: ${why}`, context.attribute),
  });

  if (object.recipientDisplayType === DYNAMIC_DL_DISPLAY_TYPE) return recipient(object.mail, true);

  if (mailEnabled && (has('user') || has('contact'))) {
    // A routing contact left by an earlier migration stands for the cloud DL it routes to.
    if (migrated) return recipient(object.extensionAttribute2, true, true);
    return recipient(cloudObjectId(object.externalDirectoryObjectId) ?? object.mail, false);
  }
  if (has('contact') && object.mail !== undefined && object.mail !== '') return recipient(object.mail, false);
  if (has('user') && !has('computer')) {
    const identity = cloudObjectId(object.externalDirectoryObjectId) ?? object.userPrincipalName;
    if (identity === undefined) return reject('OBJECT_NOT_MAIL_ENABLED_EXCEPTION', 'a user without a UPN or cloud id');
    return { kind: 'user', dn: object.dn, identity };
  }
  if (has('group')) {
    if (sameDn(object.dn, context.groupDn)) {
      if (!membership) return { kind: 'self', dn: object.dn };
      return reject('NESTED_GROUP_EXCEPTION', 'the group is a member of itself');
    }
    if (migrated) return recipient(object.extensionAttribute2, true, true);
    const mailOnlySecurity = !mailEnabled && (object.mail ?? '') !== '' && isSecurityGroupType(object.groupType);
    const identity = cloudObjectId(object.externalDirectoryObjectId) ?? object.mail;
    if (membership && (mailEnabled || mailOnlySecurity)) {
      if (context.skipNestedGroupCheck) return recipient(identity, true);
      return reject('NESTED_GROUP_EXCEPTION', 'a mail-enabled child group must be migrated first');
    }
    if (mailEnabled && !membership) return recipient(identity, true);
    return reject('OBJECT_NOT_MAIL_ENABLED_EXCEPTION', 'the group is not mail-enabled');
  }
  return reject('OBJECT_NOT_MAIL_ENABLED_EXCEPTION', `objects of class ${classes.at(-1) ?? 'unknown'} cannot be recipients`);
}

/**
 * The identities to write for one list: the migrated group's own entry becomes `selfIdentity` (the new DL, #109),
 * duplicates (by case-insensitive identity) are written once.
 */
export function listIdentities(resolutions: readonly LinkResolution[], selfIdentity: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of resolutions) {
    const identity = r.kind === 'self' ? selfIdentity : r.kind === 'rejected' ? undefined : r.identity;
    if (identity === undefined || seen.has(identity.toLowerCase())) continue;
    seen.add(identity.toLowerCase());
    out.push(identity);
  }
  return out;
}
