// The group's links to other objects (docs/reference-behaviour.md#recipient-classes): which on-prem attributes feed which cloud list, and the
// rules deciding whether a linked object can follow the group to the cloud. @dlmigrate/ad classifies each object
// (AdRecipient.kind); this module applies the migration's policy to that class.
import { dnEquals, type AdRecipient, type ForwardLink } from '@dlmigrate/ad';
import { finding, type Finding } from '../findings/finding.js';

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
export const LINK_SOURCES: Readonly<Record<Exclude<LinkList, 'sendAs'>, readonly ForwardLink[]>> = {
  members: ['member'],
  managedBy: ['managedBy', 'msExchCoManagedByLink'],
  moderatedBy: ['msExchModeratedByLink'],
  acceptFrom: ['authOrig', 'dLMemSubmitPerms'],
  rejectFrom: ['unauthOrig', 'dLMemRejectPerms'],
  bypassModeration: ['msExchBypassModerationLink', 'msExchBypassModerationFromDLMembersLink'],
  sendOnBehalf: ['publicDelegates'],
};

/** The Set-DistributionGroup parameter each list is written to (members use Update-DistributionGroupMember). */
export const CLOUD_PARAMETER = {
  managedBy: 'ManagedBy',
  moderatedBy: 'ModeratedBy',
  acceptFrom: 'AcceptMessagesOnlyFromSendersOrMembers',
  rejectFrom: 'RejectMessagesFromSendersOrMembers',
  bypassModeration: 'BypassModerationFromSendersOrMembers',
  sendOnBehalf: 'GrantSendOnBehalfTo',
} as const satisfies Record<Exclude<LinkList, 'members' | 'sendAs'>, string>;

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
  /** A plain (non-mail) user: allowed where Exchange takes any user (owners, security-group members). */
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
  /** Whether `dn` is the group's own DN, when the caller has compared them already (else compared here). */
  readonly self?: boolean;
}

/** `User_<guid>` → `<guid>`: Exchange Online knows the object by the bare Entra id. */
export function cloudObjectId(externalDirectoryObjectId: string | undefined): string | undefined {
  if (externalDirectoryObjectId === undefined || externalDirectoryObjectId === '') return undefined;
  const underscore = externalDirectoryObjectId.indexOf('_');
  return underscore >= 0 ? externalDirectoryObjectId.slice(underscore + 1) : externalDirectoryObjectId;
}

export type LinkedObject = Pick<
  AdRecipient,
  'dn' | 'kind' | 'mail' | 'lookupAddress' | 'externalDirectoryObjectId' | 'marker'
>;

/**
 * Research §2 phase 7 policy. `object` is undefined when no domain controller knows the DN any more.
 * skipNestedGroupCheck only affects membership (§4); already-migrated children are accepted either way.
 */
export function resolveLink(
  dn: string,
  object: LinkedObject | undefined,
  context: LinkContext,
): LinkResolution {
  const membership = context.list === 'members';
  const reject = (
    code: 'NESTED_GROUP_EXCEPTION' | 'OBJECT_NOT_MAIL_ENABLED_EXCEPTION',
    why: string,
  ): LinkResolution => ({
    kind: 'rejected',
    dn,
    finding: finding(code, object?.mail ?? dn, `${dn} in ${context.attribute}: ${why}`, context.attribute),
  });
  if (object === undefined)
    return reject('OBJECT_NOT_MAIL_ENABLED_EXCEPTION', 'no domain controller knows this object');
  const recipient = (
    identity: string | undefined,
    isGroup: boolean,
    alreadyMigrated = false,
  ): LinkResolution =>
    identity === undefined || identity === ''
      ? reject('OBJECT_NOT_MAIL_ENABLED_EXCEPTION', 'it has neither a cloud object id nor an address')
      : { kind: 'recipient', dn, identity, isGroup, alreadyMigrated };
  const byId = () => cloudObjectId(object.externalDirectoryObjectId) ?? object.lookupAddress;

  if (context.self ?? dnEquals(dn, context.groupDn)) {
    return membership
      ? reject('NESTED_GROUP_EXCEPTION', 'the group is a member of itself')
      : { kind: 'self', dn };
  }
  switch (object.kind) {
    case 'mailbox':
    case 'mail-user':
    case 'mail-contact':
      return recipient(byId(), false);
    case 'mail-only-contact':
      return recipient(object.lookupAddress, false);
    case 'dynamic-dl':
      return recipient(object.lookupAddress, true);
    case 'routing-contact':
    case 'retained-group':
      // Left by an earlier migration: stands for the cloud DL it was migrated to (ext2 holds its id or address).
      return recipient(object.marker?.value, true, true);
    case 'user': {
      // Exchange Online only takes recipients as DL members; a plain user can still be an owner.
      if (membership)
        return reject(
          'OBJECT_NOT_MAIL_ENABLED_EXCEPTION',
          'a user without a mailbox cannot be a member of a cloud DL',
        );
      const identity = byId();
      return identity === undefined
        ? reject('OBJECT_NOT_MAIL_ENABLED_EXCEPTION', 'a user without a UPN')
        : { kind: 'user', dn, identity };
    }
    case 'mail-enabled-group':
      if (!membership) return recipient(byId(), true);
      return context.skipNestedGroupCheck
        ? recipient(byId(), true)
        : reject('NESTED_GROUP_EXCEPTION', 'a mail-enabled child group must be migrated first');
    case 'mail-only-security-group':
      if (!membership)
        return reject(
          'OBJECT_NOT_MAIL_ENABLED_EXCEPTION',
          'a group with only a mail address cannot hold rights',
        );
      return context.skipNestedGroupCheck
        ? recipient(byId(), true)
        : reject('NESTED_GROUP_EXCEPTION', 'a mail-enabled child group must be migrated first');
    case 'non-mail-group':
      return reject('OBJECT_NOT_MAIL_ENABLED_EXCEPTION', 'the group is not mail-enabled');
    case 'other':
      return reject('OBJECT_NOT_MAIL_ENABLED_EXCEPTION', 'objects of this class cannot be recipients');
  }
}

/** One entry stage writes to a list: the identity Exchange is given, and the links it stands for. */
export interface ListEntry<T> {
  readonly identity: string;
  readonly links: readonly T[];
}

/**
 * The entries of one list: the migrated group's own entry becomes `selfIdentity` (the new DL, #109), links naming the
 * same cloud object are one entry — by case-insensitive identity, and by `objectOf` (the cloud object capture found
 * for an identity): the retained group in unauthOrig (known by the DL's id) and the routing contact in
 * dLMemRejectPerms (known by the DL's address) both stand for one cloud DL, written once. Rejected links are not
 * written.
 */
export function listEntries<T extends { readonly resolution: LinkResolution }>(
  links: readonly T[],
  selfIdentity: string,
  objectOf: (identity: string) => string = (identity) => identity,
): ListEntry<T>[] {
  const byObject = new Map<string, { identity: string; links: T[] }>();
  for (const link of links) {
    const r = link.resolution;
    const identity = r.kind === 'self' ? selfIdentity : r.kind === 'rejected' ? undefined : r.identity;
    if (identity === undefined) continue;
    const key = (r.kind === 'self' ? identity : objectOf(identity)).toLowerCase();
    const entry = byObject.get(key);
    if (entry === undefined) byObject.set(key, { identity, links: [link] });
    else entry.links.push(link);
  }
  return [...byObject.values()];
}

/**
 * The identities to write for one list (stage): listEntries' identities, in the order of the links — made without
 * listEntries' entry per link, which for a 100,000-member list were 100,000 records and arrays to throw away (issue 17).
 */
export function listIdentities(
  resolutions: Iterable<LinkResolution>,
  selfIdentity: string,
  objectOf: (identity: string) => string = (identity) => identity,
  /** Keys of objects listed already: a list given in pages (engine/member-pages.ts) shares one. */
  seen = new Set<string>(),
): string[] {
  const identities: string[] = [];
  for (const r of resolutions) {
    const identity = r.kind === 'self' ? selfIdentity : r.kind === 'rejected' ? undefined : r.identity;
    if (identity === undefined) continue;
    // The same key listEntries groups by.
    const key = (r.kind === 'self' ? identity : objectOf(identity)).toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    identities.push(identity);
  }
  return identities;
}
