// What Exchange stamps on a recipient of each kind, so seeded objects look like the real thing.
// Values: RecipientTypeDetails and RecipientDisplayType as Exchange writes them to
// msExchRecipientTypeDetails / msExchRecipientDisplayType (each value's source: packages/ad/README.md).
import { createHash } from 'node:crypto';
import type { GroupKind, UserKind } from './fixture.js';

export const RECIPIENT_TYPE_DETAILS = {
  UserMailbox: 1,
  MailContact: 64,
  MailUser: 128,
  MailUniversalDistributionGroup: 256,
  MailUniversalSecurityGroup: 1024,
  DynamicDistributionGroup: 2048,
  RoomList: 268435456,
  RemoteUserMailbox: 2147483648,
} as const;

export const RECIPIENT_DISPLAY_TYPE = {
  DistributionGroup: 1,
  DynamicDistributionGroup: 3,
  RemoteMailUser: 6, // mail users and mail contacts (and DLConversionV2's routing contacts)
  ACLableMailboxUser: 1073741824,
  SecurityDistributionGroup: 1073741833, // ACL-able mail-enabled security group
  SyncedMailboxUser: -2147483642, // remote (cloud) mailbox seen on-premises
} as const;

/** groupType bits: universal scope, plus the security flag. */
export const GROUP_TYPE = {
  universalDistribution: 8,
  universalSecurity: -2147483640,
} as const;

/** msExchRemoteRecipientType of a mailbox moved to Exchange Online ("Migrated"). */
export const REMOTE_RECIPIENT_TYPE_MIGRATED = 4;

export interface ExchangeStamp {
  typeDetails: number;
  displayType: number;
}

export const USER_STAMPS: Record<Exclude<UserKind, 'user'>, ExchangeStamp> = {
  mailbox: {
    typeDetails: RECIPIENT_TYPE_DETAILS.UserMailbox,
    displayType: RECIPIENT_DISPLAY_TYPE.ACLableMailboxUser,
  },
  remoteMailbox: {
    typeDetails: RECIPIENT_TYPE_DETAILS.RemoteUserMailbox,
    displayType: RECIPIENT_DISPLAY_TYPE.SyncedMailboxUser,
  },
  mailUser: {
    typeDetails: RECIPIENT_TYPE_DETAILS.MailUser,
    displayType: RECIPIENT_DISPLAY_TYPE.RemoteMailUser,
  },
};

export const CONTACT_STAMP: ExchangeStamp = {
  typeDetails: RECIPIENT_TYPE_DETAILS.MailContact,
  displayType: RECIPIENT_DISPLAY_TYPE.RemoteMailUser,
};

export const DYNAMIC_GROUP_STAMP: ExchangeStamp = {
  typeDetails: RECIPIENT_TYPE_DETAILS.DynamicDistributionGroup,
  displayType: RECIPIENT_DISPLAY_TYPE.DynamicDistributionGroup,
};

export interface GroupShape {
  groupType: number;
  /** Full Exchange mail-enabling, only `mail`, or nothing. */
  mail: 'exchange' | 'mailOnly' | 'none';
  stamp?: ExchangeStamp;
}

export const GROUP_SHAPES: Record<GroupKind, GroupShape> = {
  distribution: {
    groupType: GROUP_TYPE.universalDistribution,
    mail: 'exchange',
    stamp: {
      typeDetails: RECIPIENT_TYPE_DETAILS.MailUniversalDistributionGroup,
      displayType: RECIPIENT_DISPLAY_TYPE.DistributionGroup,
    },
  },
  security: {
    groupType: GROUP_TYPE.universalSecurity,
    mail: 'exchange',
    stamp: {
      typeDetails: RECIPIENT_TYPE_DETAILS.MailUniversalSecurityGroup,
      displayType: RECIPIENT_DISPLAY_TYPE.SecurityDistributionGroup,
    },
  },
  roomList: {
    groupType: GROUP_TYPE.universalDistribution,
    mail: 'exchange',
    stamp: {
      typeDetails: RECIPIENT_TYPE_DETAILS.RoomList,
      displayType: RECIPIENT_DISPLAY_TYPE.DistributionGroup,
    },
  },
  mailOnlyDistribution: { groupType: GROUP_TYPE.universalDistribution, mail: 'mailOnly' },
  mailOnlySecurity: { groupType: GROUP_TYPE.universalSecurity, mail: 'mailOnly' },
  plainDistribution: { groupType: GROUP_TYPE.universalDistribution, mail: 'none' },
  plainSecurity: { groupType: GROUP_TYPE.universalSecurity, mail: 'none' },
};

/** A stable UUID derived from a string (so re-seeding gives the same legacyExchangeDN and EDOID). */
export function stableUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Exchange 2013+ form: `/o=<org>/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=<32 hex>-<alias>`. */
export function legacyExchangeDn(organization: string, alias: string, seed: string): string {
  const hex = stableUuid(seed).replace(/-/g, '');
  return `/o=${organization}/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${hex}-${alias}`;
}

/** Characters AD refuses in sAMAccountName: " / \ [ ] : ; | = , + * ? < > @ and spaces are awkward. */
export function samAccountNameFrom(text: string): string {
  const cleaned = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]/g, '')
    .slice(0, 20);
  return cleaned.length > 0 ? cleaned : 'obj';
}

/** LDAP string form of a fixture value: booleans as TRUE/FALSE, numbers in decimal. */
export function ldapValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}
