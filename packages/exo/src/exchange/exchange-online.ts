// Typed operations over the InvokeCommand transport: everything the migration engine asks of
// Exchange Online. Each method is one cmdlet (or a documented sequence of them) with the
// parameters DLConversionV2 uses, returning camelCase records.
import { randomUUID } from 'node:crypto';
import { forEachBounded } from './bounded.js';
import { cloudIdentity } from './cloud-identity.js';
import type { CmdletParameters, AddRemove } from './encoding.js';
import { ExchangeConfiguration } from './configuration.js';
import { addRemove } from './encoding.js';
import {
  ExoAlreadyExistsError,
  ExoNoResultError,
  ExoNotFoundError,
  ExoPermissionDeniedError,
  ExoTimeoutError,
  ExoUnknownRecipientTypeError,
  ExoValidationError,
  shortTypeName,
} from './errors.js';
import {
  CloudDependantsIndex,
  linksNaming,
  OWNER_CMDLETS,
  RESTRICTION_CMDLETS,
  RESTRICTION_LINKS,
  isMailboxDelegation,
} from './cloud-dependants.js';
import { opathEquals, quoteOpath } from './opath.js';
import {
  toAcceptedDomain,
  toDistributionGroup,
  toMember,
  MEMBER_PROPERTIES,
  type MemberRecord,
  toDynamicDistributionGroup,
  toMailbox,
  toMailboxPermission,
  toMailboxFolderPermission,
  type MailboxFolderPermissionRecord,
  toOutboundConnector,
  toRecipient,
  toRecipientPermission,
  toUnifiedGroup,
  toUser,
  type AcceptedDomainRecord,
  type DistributionGroupRecord,
  type DynamicDistributionGroupRecord,
  type MailboxPermissionRecord,
  type MailboxRecord,
  type OutboundConnectorRecord,
  type RecipientPermissionRecord,
  type RecipientRecord,
  type UnifiedGroupRecord,
  type UserRecord,
} from './records.js';
import { MAX_CALLS_IN_FLIGHT } from './concurrency.js';
import type { ExoTransport, InvokeOptions, InvokeResult } from './transport.js';

/** Update-DistributionGroupMember takes at most this many members in one call. */
const MAX_MEMBERS_PER_UPDATE = 10_000;
/**
 * Members in the one replace call: "Cmdlets backed by the REST API have a 15-minute timeout … update fewer
 * members ($Members[0..4999]), and then add the remaining members individually" ("About the Exchange Online
 * PowerShell module"). The rest are added one per call.
 */
export const MEMBERS_PER_REPLACE = 5_000;
/**
 * Membership calls kept outstanding at once. At least the transport limiter's ceiling (MAX_CALLS_IN_FLIGHT), so the
 * limiter — which halves on throttling and grows back — alone decides how many are in flight.
 */
const MEMBER_CALLS_OUTSTANDING = MAX_CALLS_IN_FLIGHT;
/** Additions between two progress reports of replaceMembers (what a resumed run may repeat, at most). */
export const ADDITIONS_PER_PROGRESS = 1_000;

export type DistributionGroupListProperty =
  | 'ManagedBy'
  | 'ModeratedBy'
  | 'AcceptMessagesOnlyFrom'
  | 'AcceptMessagesOnlyFromDLMembers'
  | 'AcceptMessagesOnlyFromSendersOrMembers'
  | 'RejectMessagesFrom'
  | 'RejectMessagesFromDLMembers'
  | 'RejectMessagesFromSendersOrMembers'
  | 'BypassModerationFromSendersOrMembers'
  | 'GrantSendOnBehalfTo'
  | 'EmailAddresses'
  | 'MailTipTranslations'
  | `ExtensionCustomAttribute${1 | 2 | 3 | 4 | 5}`;

/**
 * Properties documented as overwrite-only: Exchange rejects @{Add/Remove} on them
 * (use the …From / …DLMembers variants to add or remove).
 */
const OVERWRITE_ONLY = new Set<DistributionGroupListProperty>([
  'AcceptMessagesOnlyFromSendersOrMembers',
  'RejectMessagesFromSendersOrMembers',
]);

export interface NewDistributionGroupInput {
  /** ≤ 64 characters, unique in the tenant. */
  readonly name: string;
  readonly alias?: string;
  readonly displayName?: string;
  readonly primarySmtpAddress?: string;
  /** @defaultValue 'Distribution' */
  readonly type?: 'Distribution' | 'Security';
  readonly roomList?: boolean;
  readonly managedBy?: readonly string[];
  readonly notes?: string;
  /** @defaultValue true — the engine's temporary names must not be rewritten by a naming policy. */
  readonly ignoreNamingPolicy?: boolean;
  /** Any further New-DistributionGroup parameter. */
  readonly extra?: CmdletParameters;
}

export interface ReplaceMembersResult {
  /** Membership calls made (the replace, the additions and removals; reads not counted). */
  readonly calls: number;
  /** Members sent in the one Update-DistributionGroupMember (0 when the group was emptied instead). */
  readonly replacedWith: number;
  /** Members added one per call after it. */
  readonly addedAfter: number;
  /** Members removed one per call (emptying a group, or finishing a replace that timed out). */
  readonly removed: number;
  /** The replace timed out (the service may have done part of it): the membership was re-read and completed. */
  readonly reconciled: boolean;
}

/** How far a membership replace got: the replace itself, then the first `added` additions (in list order). */
export interface MembershipProgress {
  readonly replaced: boolean;
  readonly added: number;
}

export interface ReplaceMembersOptions {
  /** Members in the one replace call. @defaultValue MEMBERS_PER_REPLACE */
  readonly chunkSize?: number;
  /** Where an earlier call with the same list got to (from its onProgress): continue there. */
  readonly resumeFrom?: MembershipProgress;
  /** Told after the replace and after every `progressEvery` additions; awaited (persist it here). */
  readonly onProgress?: (progress: MembershipProgress) => Promise<void>;
  /** @defaultValue ADDITIONS_PER_PROGRESS */
  readonly progressEvery?: number;
}

/** Which Set- cmdlet edits a recipient of this RecipientTypeDetails (DLConversionV2 phase 20). */
export function setCmdletFor(recipientTypeDetails: string): string {
  switch (recipientTypeDetails) {
    case 'GroupMailbox':
      return 'Set-UnifiedGroup';
    case 'MailUniversalDistributionGroup':
    case 'MailUniversalSecurityGroup':
    case 'MailNonUniversalGroup':
    case 'RoomList':
      return 'Set-DistributionGroup';
    case 'DynamicDistributionGroup':
      return 'Set-DynamicDistributionGroup';
    case 'UserMailbox':
    case 'SharedMailbox':
    case 'RoomMailbox':
    case 'EquipmentMailbox':
      return 'Set-Mailbox';
    case 'MailUser':
    case 'GuestMailUser':
      return 'Set-MailUser';
    case 'MailContact':
      return 'Set-MailContact';
    default:
      throw new ExoUnknownRecipientTypeError(recipientTypeDetails);
  }
}

export class ExchangeOnline {
  /** Transport and journal rules, dynamic group filters, calendar processing, address lists (issue 16). */
  readonly configuration: ExchangeConfiguration;

  constructor(readonly transport: ExoTransport) {
    this.configuration = new ExchangeConfiguration(transport);
  }

  // ── recipients ────────────────────────────────────────────────────────────────────────────

  /**
   * Get-Recipient by identity (ExternalDirectoryObjectId, address, name); null when it doesn't exist.
   * `includeSoftDeleted`: soft-deleted recipients too — they keep their addresses, so an address check
   * must see them (Get-Recipient.md, IncludeSoftDeletedRecipients).
   */
  async getRecipient(
    identity: string,
    options: { includeSoftDeleted?: boolean } = {},
  ): Promise<RecipientRecord | null> {
    const value = await this.readOne('Get-Recipient', {
      Identity: identity,
      IncludeSoftDeletedRecipients: options.includeSoftDeleted ? true : undefined,
    });
    return value ? toRecipient(value) : null;
  }

  /** Whether an address is free: nobody holds it, live or soft-deleted (`self` may hold it). */
  async isAddressFree(address: string, self?: string): Promise<boolean> {
    const holder = await this.getRecipient(address, { includeSoftDeleted: true });
    return (
      holder === null ||
      (self !== undefined && (holder.externalDirectoryObjectId === self || holder.guid === self))
    );
  }

  /** Get-Recipient -Filter, every page. */
  /** `select`: only these properties ($select; the record's other fields stay empty). */
  async findRecipients(
    filter: string,
    extra: CmdletParameters = {},
    select?: readonly string[],
  ): Promise<readonly RecipientRecord[]> {
    const result = await this.invokeMapped(
      'Get-Recipient',
      { Filter: filter, ResultSize: 'Unlimited', ...extra },
      { idempotent: true, ...(select === undefined ? {} : { select }) },
      toRecipient,
    );
    return result.value;
  }

  /**
   * Get-User by identity (ExternalDirectoryObjectId, UPN, name); null when it doesn't exist. Finds
   * plain (non-mail) users too, which Get-Recipient does not — owners and security-group members
   * can be such users.
   */
  async getUser(identity: string): Promise<UserRecord | null> {
    const value = await this.readOne('Get-User', { Identity: identity });
    return value ? toUser(value) : null;
  }

  /** Get-User -Filter, every page. */
  async findUsers(filter: string): Promise<UserRecord[]> {
    return (await this.read('Get-User', { Filter: filter, ResultSize: 'Unlimited' })).value.map(toUser);
  }

  // ── distribution groups ──────────────────────────────────────────────────────────────────

  async getDistributionGroup(identity: string): Promise<DistributionGroupRecord | null> {
    const value = await this.readOne('Get-DistributionGroup', { Identity: identity });
    return value ? toDistributionGroup(value) : null;
  }

  async findDistributionGroups(filter: string): Promise<DistributionGroupRecord[]> {
    const result = await this.read('Get-DistributionGroup', { Filter: filter, ResultSize: 'Unlimited' });
    return result.value.map(toDistributionGroup);
  }

  /** Every member (all pages, hidden members included). */
  async getDistributionGroupMembers(identity: string): Promise<RecipientRecord[]> {
    const result = await this.read('Get-DistributionGroupMember', {
      Identity: identity,
      ResultSize: 'Unlimited',
    });
    return result.value.map(toRecipient);
  }

  /** The members as compact records ($select: each page carries five properties per member, issue 17). */
  async getDistributionGroupMemberRecords(identity: string): Promise<readonly MemberRecord[]> {
    const result = await this.invokeMapped(
      'Get-DistributionGroupMember',
      { Identity: identity, ResultSize: 'Unlimited' },
      { idempotent: true, select: MEMBER_PROPERTIES },
      toMember,
    );
    return result.value;
  }

  /** New-DistributionGroup. Follow with setDistributionGroup for what New- can't set (addresses, hidden, custom attributes). */
  async newDistributionGroup(input: NewDistributionGroupInput): Promise<DistributionGroupRecord> {
    const result = await this.invoke('New-DistributionGroup', {
      Name: input.name,
      Alias: input.alias,
      DisplayName: input.displayName,
      PrimarySmtpAddress: input.primarySmtpAddress,
      Type: input.type ?? 'Distribution',
      RoomList: input.roomList ? true : undefined,
      ManagedBy: input.managedBy,
      Notes: input.notes,
      IgnoreNamingPolicy: input.ignoreNamingPolicy ?? true,
      ...input.extra,
    });
    const created = result.value[0];
    if (created) return toDistributionGroup(created);
    // Some tenants return nothing from New-; read it back by name.
    const read = await this.getDistributionGroup(input.name);
    if (!read)
      throw new ExoNoResultError(
        'New-DistributionGroup',
        input.name,
        `New-DistributionGroup returned no object and "${input.name}" cannot be read back`,
      );
    return read;
  }

  /**
   * Set-DistributionGroup with any parameters. BypassSecurityGroupManagerCheck is always sent: an
   * app is never in ManagedBy, and without it owner/member edits of security groups are refused.
   * Returns the service's warnings (a no-op write only shows up there).
   */
  async setDistributionGroup(identity: string, parameters: CmdletParameters): Promise<readonly string[]> {
    const result = await this.invoke('Set-DistributionGroup', {
      Identity: identity,
      ...parameters,
      BypassSecurityGroupManagerCheck: true,
    });
    return result.warnings;
  }

  /**
   * Whether the app may use -BypassSecurityGroupManagerCheck, which every group write needs: it takes the
   * Organization Management role group or the Security Group Creation and Membership role
   * (Set-DistributionGroup.md). Outside the app's roles the parameter does not exist, and parameters bind
   * before the identity is looked up — so a Set-DistributionGroup of a group that cannot exist, with no
   * setting, answers "parameter not found" or "object not found" and changes nothing either way.
   */
  async canBypassSecurityGroupManagerCheck(): Promise<boolean> {
    try {
      await this.invoke('Set-DistributionGroup', {
        Identity: `dlmigrate-rbac-probe-${randomUUID()}`,
        BypassSecurityGroupManagerCheck: true,
      });
      return true;
    } catch (error) {
      if (error instanceof ExoNotFoundError) return true;
      // A read-only role has no Set-DistributionGroup at all (CommandNotFoundException): no bypass either.
      if (error instanceof ExoPermissionDeniedError) return false;
      if (
        error instanceof ExoValidationError &&
        (error.errorId === 'NamedParameterNotFound' ||
          /parameter cannot be found that matches parameter name 'BypassSecurityGroupManagerCheck'/i.test(
            error.serverMessage,
          ))
      )
        return false;
      throw error;
    }
  }

  /** Replace a multi-valued property as a whole (an empty list clears it). */
  setDistributionGroupList(
    identity: string,
    property: DistributionGroupListProperty,
    values: readonly string[],
  ): Promise<readonly string[]> {
    return this.setDistributionGroup(identity, { [property]: values.length > 0 ? values : null });
  }

  /** Add/remove values of a multi-valued property without touching the others. */
  changeDistributionGroupList(
    identity: string,
    property: DistributionGroupListProperty,
    change: AddRemove,
  ): Promise<readonly string[]> {
    if (OVERWRITE_ONLY.has(property)) {
      throw new Error(
        `${property} can only be replaced as a whole; add or remove through ${property.replace('SendersOrMembers', '')} / ${property.replace('SendersOrMembers', 'DLMembers')}`,
      );
    }
    return this.setDistributionGroup(identity, { [property]: addRemove(change) });
  }

  /**
   * Replace the whole membership, ending with exactly `members`. One Update-DistributionGroupMember with at
   * most `chunkSize` (default 5,000) members replaces everything that was there; the rest are added one per
   * call, several at a time within the transport's limiter and the tenant's rate budget ("already a member" is
   * fine). A replace that times out may have been partly done: the membership is re-read, then completed with
   * additions and removals, which are safe to repeat. An empty list is done by removing the members one by one
   * (whether an empty -Members array binds is not documented).
   *
   * Resumable: `onProgress` hears the replace and every `progressEvery` additions (a prefix of the list: all
   * before `added` are done), and a later call given that as `resumeFrom` (same list) neither replaces again
   * nor repeats those additions.
   */
  async replaceMembers(
    identity: string,
    members: readonly string[],
    options: ReplaceMembersOptions = {},
  ): Promise<ReplaceMembersResult> {
    const chunkSize = Math.min(MAX_MEMBERS_PER_UPDATE, Math.max(1, options.chunkSize ?? MEMBERS_PER_REPLACE));
    const unique = [...new Set(members)];
    if (unique.length === 0) {
      const current = await this.#membersByIdentity(identity);
      await this.removeMembers(identity, current.map(cloudIdentity));
      return {
        calls: current.length,
        replacedWith: 0,
        addedAfter: 0,
        removed: current.length,
        reconciled: false,
      };
    }
    const first = unique.slice(0, chunkSize);
    const rest = unique.slice(chunkSize);
    const resume = options.resumeFrom;
    let repaired = { added: 0, removed: 0 };
    let reconciled = false;
    if (resume?.replaced !== true) {
      try {
        await this.invoke('Update-DistributionGroupMember', {
          Identity: identity,
          Members: first,
          BypassSecurityGroupManagerCheck: true,
          Confirm: false,
        });
      } catch (error) {
        if (!(error instanceof ExoTimeoutError)) throw error;
        repaired = await this.#completeCutOffReplace(identity, unique, first);
        reconciled = true;
      }
      await options.onProgress?.({ replaced: true, added: 0 });
    }
    const from = Math.min(rest.length, Math.max(0, resume?.replaced === true ? resume.added : 0));
    const every = Math.max(1, options.progressEvery ?? ADDITIONS_PER_PROGRESS);
    for (let start = from; start < rest.length; start += every) {
      const end = Math.min(rest.length, start + every);
      await this.addMembers(identity, rest.slice(start, end));
      await options.onProgress?.({ replaced: true, added: end });
    }
    return {
      calls: (resume?.replaced === true ? 0 : 1) + repaired.added + repaired.removed + rest.length - from,
      replacedWith: first.length,
      addedAfter: repaired.added + rest.length - from,
      removed: repaired.removed,
      reconciled,
    };
  }

  /**
   * A replace cut off by the REST timeout may have added some of its members and removed none (or all) of the old
   * ones: re-read the membership, add what the replace should have put there and remove what is in none of the
   * list (matched through sets: a 100,000-member group compared pairwise would be 10^10 comparisons). The rest of
   * the list is then added as after a replace that completed.
   */
  async #completeCutOffReplace(
    identity: string,
    wanted: readonly string[],
    replaced: readonly string[],
  ): Promise<{ added: number; removed: number }> {
    const current = await this.#membersByIdentity(identity);
    const currentKeys = new Set(current.flatMap(memberKeys));
    const wantedKeys = new Set(wanted.map(identityKey));
    const missing = replaced.filter((m) => !currentKeys.has(identityKey(m)));
    const extra = current.filter((r) => !memberKeys(r).some((k) => wantedKeys.has(k))).map(cloudIdentity);
    await this.removeMembers(identity, extra);
    await this.addMembers(identity, missing);
    return { added: missing.length, removed: extra.length };
  }

  /** The members with just the properties they can be named by (memberKeys): $select keeps a big group's pages small. */
  async #membersByIdentity(identity: string): Promise<readonly RecipientRecord[]> {
    const result = await this.invokeMapped(
      'Get-DistributionGroupMember',
      { Identity: identity, ResultSize: 'Unlimited' },
      { idempotent: true, select: ['Guid', 'ExternalDirectoryObjectId', 'Name', 'Alias', 'EmailAddresses'] },
      toRecipient,
    );
    return result.value;
  }

  /** Add-DistributionGroupMember for each member, several at a time (already a member = fine). */
  private addMembers(identity: string, members: readonly string[]): Promise<void> {
    return forEachBounded(members, MEMBER_CALLS_OUTSTANDING, async (m) => {
      await this.addMember(identity, m);
    });
  }

  /** Remove-DistributionGroupMember for each member, several at a time (not a member = fine). */
  private removeMembers(identity: string, members: readonly string[]): Promise<void> {
    return forEachBounded(members, MEMBER_CALLS_OUTSTANDING, async (m) => {
      await this.removeMember(identity, m);
    });
  }

  /** Add-DistributionGroupMember; false when it was already a member. */
  addMember(identity: string, member: string): Promise<boolean> {
    return this.changeMember(
      'Add-DistributionGroupMember',
      identity,
      member,
      (e) => e instanceof ExoAlreadyExistsError,
    );
  }

  /** Remove-DistributionGroupMember; false when it wasn't a member. A missing group still throws. */
  removeMember(identity: string, member: string): Promise<boolean> {
    return this.changeMember(
      'Remove-DistributionGroupMember',
      identity,
      member,
      (e) => e instanceof ExoNotFoundError && /MemberNotFound/.test(e.exceptionType ?? ''),
    );
  }

  /** One membership change; `alreadyDone` recognises the answer meaning "nothing to change". */
  private async changeMember(
    cmdlet: string,
    identity: string,
    member: string,
    alreadyDone: (error: unknown) => boolean,
  ): Promise<boolean> {
    try {
      await this.invoke(cmdlet, {
        Identity: identity,
        Member: member,
        BypassSecurityGroupManagerCheck: true,
        Confirm: false,
      });
      return true;
    } catch (error) {
      if (alreadyDone(error)) return false;
      throw error;
    }
  }

  async removeDistributionGroup(identity: string): Promise<void> {
    await this.invoke('Remove-DistributionGroup', {
      Identity: identity,
      BypassSecurityGroupManagerCheck: true,
      Confirm: false,
    });
  }

  // ── domains and transport ────────────────────────────────────────────────────────────────

  async getAcceptedDomains(): Promise<AcceptedDomainRecord[]> {
    return (await this.read('Get-AcceptedDomain', {})).value.map(toAcceptedDomain);
  }

  /** The tenant's routing domain (`*.mail.onmicrosoft.com`), or null when there is none. */
  async getRoutingDomain(): Promise<string | null> {
    return routingDomainOf(await this.getAcceptedDomains());
  }

  /** Read for usesCentralizedMailTransport only: nothing outside this class asks for the connectors. */
  private async getOutboundConnectors(): Promise<OutboundConnectorRecord[]> {
    return (await this.read('Get-OutboundConnector', {})).value.map(toOutboundConnector);
  }

  /** Centralised mail transport: an enabled outbound connector routes all mail via on-premises. */
  async usesCentralizedMailTransport(): Promise<boolean> {
    return (await this.getOutboundConnectors()).some((c) => c.enabled && c.routeAllMessagesViaOnPremises);
  }

  // ── permissions ─────────────────────────────────────────────────────────────────────────

  /** Get-RecipientPermission (Send-As) granted on `identity`, or held by `trustee`. */
  async getRecipientPermissions(query: {
    identity?: string;
    trustee?: string;
  }): Promise<RecipientPermissionRecord[]> {
    if (!query.identity && !query.trustee)
      throw new Error('getRecipientPermissions needs an identity or a trustee');
    const result = await this.read('Get-RecipientPermission', {
      Identity: query.identity,
      Trustee: query.trustee,
      ResultSize: 'Unlimited',
    });
    return result.value.map(toRecipientPermission);
  }

  /**
   * Send-As rights held by `trustee` (a group's EDOID). Only security principals — mailboxes, mail users,
   * security groups — can hold rights (Get-RecipientPermission.md, Trustee), and Exchange refuses any other
   * trustee: that refusal (or "not found") means it holds none.
   */
  async getSendAsHeldBy(trustee: string): Promise<RecipientPermissionRecord[]> {
    try {
      return await this.getRecipientPermissions({ trustee });
    } catch (error) {
      if (error instanceof ExoNotFoundError) return [];
      if (
        error instanceof ExoValidationError &&
        shortTypeName(error.exceptionType) === 'RecipientTaskException' &&
        /security principal/i.test(error.serverMessage)
      )
        return [];
      throw error;
    }
  }

  async addSendAs(identity: string, trustee: string): Promise<void> {
    await this.invoke('Add-RecipientPermission', {
      Identity: identity,
      Trustee: trustee,
      AccessRights: ['SendAs'],
      Confirm: false,
    });
  }

  async removeSendAs(identity: string, trustee: string): Promise<void> {
    await this.invoke('Remove-RecipientPermission', {
      Identity: identity,
      Trustee: trustee,
      AccessRights: ['SendAs'],
      Confirm: false,
    });
  }

  async getMailboxPermissions(identity: string, user?: string): Promise<MailboxPermissionRecord[]> {
    const result = await this.read('Get-MailboxPermission', { Identity: identity, User: user });
    return result.value.map(toMailboxPermission);
  }

  async addFullAccess(
    identity: string,
    user: string,
    options: { autoMapping?: boolean } = {},
  ): Promise<void> {
    await this.invoke('Add-MailboxPermission', {
      Identity: identity,
      User: user,
      AccessRights: ['FullAccess'],
      InheritanceType: 'All',
      AutoMapping: options.autoMapping,
      Confirm: false,
    });
  }

  async removeFullAccess(identity: string, user: string): Promise<void> {
    await this.invoke('Remove-MailboxPermission', {
      Identity: identity,
      User: user,
      AccessRights: ['FullAccess'],
      InheritanceType: 'All',
      Confirm: false,
    });
  }

  // ── other recipients the engine rewires ──────────────────────────────────────────────────

  /**
   * Get-MailboxFolderPermission of one folder, `<mailbox>:\\<folder>` (Get-MailboxFolderPermission.md, Identity);
   * with `user`, only that user's entry. A folder the mailbox lacks is ExoNotFoundError.
   */
  async getMailboxFolderPermissions(folder: string, user?: string): Promise<MailboxFolderPermissionRecord[]> {
    const result = await this.read('Get-MailboxFolderPermission', {
      Identity: folder,
      User: user,
      ResultSize: 'Unlimited',
    });
    return result.value.map(toMailboxFolderPermission);
  }

  /** Add-MailboxFolderPermission; a user the folder already lists is ExoAlreadyExistsError. */
  async addMailboxFolderPermission(
    folder: string,
    user: string,
    accessRights: readonly string[],
  ): Promise<void> {
    await this.invoke('Add-MailboxFolderPermission', {
      Identity: folder,
      User: user,
      AccessRights: [...accessRights],
    });
  }

  async removeMailboxFolderPermission(folder: string, user: string): Promise<void> {
    await this.invoke('Remove-MailboxFolderPermission', { Identity: folder, User: user, Confirm: false });
  }

  async getMailbox(identity: string): Promise<MailboxRecord | null> {
    const value = await this.readOne('Get-Mailbox', { Identity: identity });
    return value ? toMailbox(value) : null;
  }

  /** Every mailbox of the tenant (all pages): the scope of a tenant-wide permission collection. */
  async listMailboxes(): Promise<MailboxRecord[]> {
    const result = await this.read('Get-Mailbox', { ResultSize: 'Unlimited' });
    return result.value.map(toMailbox);
  }

  async getMailUser(identity: string): Promise<MailboxRecord | null> {
    const value = await this.readOne('Get-MailUser', { Identity: identity });
    return value ? toMailbox(value) : null;
  }

  async getMailContact(identity: string): Promise<RecipientRecord | null> {
    const value = await this.readOne('Get-MailContact', { Identity: identity });
    return value ? toRecipient(value) : null;
  }

  /**
   * Set parameters on any recipient with the Set- cmdlet of its type (Set-Mailbox, Set-MailUser,
   * Set-MailContact, Set-DistributionGroup, Set-DynamicDistributionGroup, Set-UnifiedGroup).
   */
  async setRecipient(
    target: { identity: string; recipientTypeDetails: string },
    parameters: CmdletParameters,
  ): Promise<readonly string[]> {
    const cmdlet = setCmdletFor(target.recipientTypeDetails);
    const bypass = cmdlet === 'Set-DistributionGroup' ? { BypassSecurityGroupManagerCheck: true } : {};
    const result = await this.invoke(cmdlet, {
      Identity: target.identity,
      ...parameters,
      ...bypass,
    });
    return result.warnings;
  }

  /** ForwardingAddress (an internal recipient); null clears it. */
  setForwardingAddress(
    target: { identity: string; recipientTypeDetails: string },
    forwardingAddress: string | null,
  ): Promise<readonly string[]> {
    return this.setRecipient(target, { ForwardingAddress: forwardingAddress });
  }

  changeGrantSendOnBehalfTo(
    target: { identity: string; recipientTypeDetails: string },
    change: AddRemove,
  ): Promise<readonly string[]> {
    return this.setRecipient(target, { GrantSendOnBehalfTo: addRemove(change) });
  }

  async getDynamicDistributionGroup(identity: string): Promise<DynamicDistributionGroupRecord | null> {
    const value = await this.readOne('Get-DynamicDistributionGroup', { Identity: identity });
    return value ? toDynamicDistributionGroup(value) : null;
  }

  async setDynamicDistributionGroup(
    identity: string,
    parameters: CmdletParameters,
  ): Promise<readonly string[]> {
    return (await this.invoke('Set-DynamicDistributionGroup', { Identity: identity, ...parameters }))
      .warnings;
  }

  async getUnifiedGroup(identity: string): Promise<UnifiedGroupRecord | null> {
    const value = await this.readOne('Get-UnifiedGroup', { Identity: identity });
    return value ? toUnifiedGroup(value) : null;
  }

  async setUnifiedGroup(identity: string, parameters: CmdletParameters): Promise<readonly string[]> {
    return (await this.invoke('Set-UnifiedGroup', { Identity: identity, ...parameters })).warnings;
  }

  // ── cloud objects that depend on a group (DLConversionV2 phase 11) ───────────────────────

  /**
   * Cloud-only objects that reference the group whose Exchange DistinguishedName is `dn`: groups it
   * is a member of, and recipients whose delivery restrictions, moderation bypass, send-on-behalf,
   * ownership or forwarding name it.
   *
   * With `tenantWide` (a batch: readCloudDependantsIndex once per level), the restriction, owner and forwarding links
   * come from that index by the group's `name`, and only two questions are asked: membership, and the groups named
   * like `alsoGroupsLike` (the batch's own staging DLs, created after the index was read).
   */
  async findCloudDependants(
    dn: string,
    tenantWide?: { index: CloudDependantsIndex; name: string; alsoGroupsLike?: string },
  ): Promise<CloudDependant[]> {
    // Only filters "Filterable properties for the Filter parameter" lists for each cmdlet: IsDirSynced is
    // not filterable on Get-DynamicDistributionGroup (dynamic DLs are never synced, so nothing is lost),
    // BypassModerationFromDLMembers has no section but is what DLConversionV2 filters on
    // (Get-O365GroupDependency.ps1:107-180).
    // A mailbox's send-on-behalf list is kept in Exchange Online even when the mailbox is directory-synced (Entra
    // Connect writes GrantSendOnBehalfTo back to publicDelegates, Exchange hybrid writeback): a synced mailbox naming
    // the group there loses it with the synced group like a cloud-only one, so that question asks every mailbox.
    const notSynced = (p: string, cmdlet: string) =>
      cmdlet === 'Get-DynamicDistributionGroup' || isMailboxDelegation(p, cmdlet)
        ? opathEquals(p, dn)
        : `(${opathEquals(p, dn)}) -and (IsDirSynced -eq $false)`;
    const found: CloudDependant[] = [];
    const ask = async (link: CloudDependant['link'], cmdlet: string, filter: string) => {
      const result = await this.read(cmdlet, { Filter: filter, ResultSize: 'Unlimited' });
      for (const raw of result.value) found.push({ link, recipient: toRecipient(raw) });
    };
    await ask('Members', 'Get-Recipient', notSynced('Members', 'Get-Recipient'));
    for (const link of RESTRICTION_LINKS) {
      for (const cmdlet of RESTRICTION_CMDLETS) {
        if (tenantWide === undefined) await ask(link, cmdlet, notSynced(link, cmdlet));
        else
          for (const recipient of tenantWide.index.holders(cmdlet, link, tenantWide.name))
            found.push({ link, recipient });
      }
    }
    for (const cmdlet of OWNER_CMDLETS) {
      if (tenantWide === undefined) await ask('ManagedBy', cmdlet, notSynced('ManagedBy', cmdlet));
      else
        for (const recipient of tenantWide.index.holders(cmdlet, 'ManagedBy', tenantWide.name))
          found.push({ link: 'ManagedBy', recipient });
    }
    if (tenantWide === undefined)
      await ask('ForwardingAddress', 'Get-Mailbox', opathEquals('ForwardingAddress', dn));
    else
      for (const recipient of tenantWide.index.holders('Get-Mailbox', 'ForwardingAddress', tenantWide.name))
        found.push({ link: 'ForwardingAddress', recipient });
    if (tenantWide?.alsoGroupsLike !== undefined) {
      const links = [...RESTRICTION_LINKS, 'ManagedBy'] as const;
      const result = await this.read('Get-DistributionGroup', {
        Filter: `(Name -like ${quoteOpath(tenantWide.alsoGroupsLike)}) -and (${links.map((l) => `(${opathEquals(l, dn)})`).join(' -or ')}) -and (IsDirSynced -eq $false)`,
        ResultSize: 'Unlimited',
      });
      const seen = new Set(found.map((d) => `${d.link}|${d.recipient.guid}`));
      const name = tenantWide.name.toLowerCase();
      for (const raw of result.value) {
        const recipient = toRecipient(raw);
        for (const link of linksNaming(raw, name, links))
          if (!seen.has(`${link}|${recipient.guid}`)) found.push({ link, recipient });
      }
    }
    return found;
  }

  /**
   * Which of the dependants a scan found (findCloudDependants) still name the group — now known by `group` (its DN
   * and Name: a recreate's new DL, a restore's synced group). Only those objects are read again, each by its id with
   * the Get- cmdlet of its type (one call per object however many links it held; gone is "names it no more"), and the
   * memberships with one Members filter; a scan of the whole tenant (28 filters) would answer the same for them.
   */
  async cloudDependantsStill(
    captured: readonly CloudDependant[],
    group: { readonly dn: string; readonly name: string },
  ): Promise<CloudDependant[]> {
    const still: CloudDependant[] = [];
    if (captured.some((d) => d.link === 'Members')) {
      const result = await this.read('Get-Recipient', {
        Filter: `(${opathEquals('Members', group.dn)}) -and (IsDirSynced -eq $false)`,
        ResultSize: 'Unlimited',
      });
      const holders = new Set(result.value.map((raw) => toRecipient(raw).guid.toLowerCase()));
      for (const d of captured)
        if (d.link === 'Members' && holders.has(d.recipient.guid.toLowerCase())) still.push(d);
    }
    const byObject = new Map<string, CloudDependant[]>();
    for (const d of captured) {
      if (d.link === 'Members') continue;
      const key = cloudIdentity(d.recipient);
      (byObject.get(key) ?? byObject.set(key, []).get(key)!).push(d);
    }
    const name = group.name.toLowerCase();
    // The objects are read side by side (the transport's limiter decides how many are in flight), not one after
    // another: a group named by many dependants made verify wait one round trip per object. Found in capture's order.
    const objects = [...byObject];
    const found: CloudDependant[][] = objects.map(() => []);
    await forEachBounded(
      objects.map((_, i) => i),
      MAX_CALLS_IN_FLIGHT,
      async (i) => {
        const [identity, links] = objects[i]!;
        const cmdlet = setCmdletFor(links[0]!.recipient.recipientTypeDetails).replace(/^Set-/, 'Get-');
        const raw = await this.readOne(cmdlet, { Identity: identity });
        if (raw !== null) found[i] = links.filter((d) => namesLink(raw, d.link, name));
      },
    );
    return [...still, ...found.flat()];
  }

  /** The tenant-wide index findCloudDependants takes in a batch (eight reads, paged). */
  readCloudDependantsIndex(): Promise<CloudDependantsIndex> {
    return CloudDependantsIndex.read((cmdlet, parameters) => this.read(cmdlet, parameters));
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────

  /** A cmdlet's output objects as Exchange sent them (through invokeMapped, as every call). */
  private invoke(
    cmdlet: string,
    parameters: CmdletParameters,
    options?: InvokeOptions,
  ): Promise<InvokeResult> {
    return this.invokeMapped(cmdlet, parameters, options ?? {}, (row) => row);
  }

  /**
   * Every call goes through here, each page's output turned into records as it arrives (transport.invokeMapped).
   * An empty -Identity is refused before it is sent: Exchange answers "$null or a non-existent value … returns all
   * objects" (Get-Recipient.md, Identity), which would read as "found".
   */
  private invokeMapped<T>(
    cmdlet: string,
    parameters: CmdletParameters,
    options: InvokeOptions,
    map: (row: Record<string, unknown>) => T,
  ): Promise<InvokeResult<T>> {
    if ('Identity' in parameters) {
      const identity = parameters['Identity'];
      if (identity === null || (typeof identity === 'string' && identity.trim() === ''))
        return Promise.reject(
          new ExoValidationError(
            { cmdlet, status: 0, serverMessage: 'not sent: the Identity is empty' },
            `${cmdlet} was not sent: its -Identity is empty, and Exchange would answer with every object instead of one.`,
          ),
        );
    }
    return this.transport.invokeMapped(cmdlet, parameters, options, map);
  }

  private read(cmdlet: string, parameters: CmdletParameters): Promise<InvokeResult> {
    return this.invoke(cmdlet, parameters, { idempotent: true });
  }

  private async readOne(
    cmdlet: string,
    parameters: CmdletParameters,
  ): Promise<Record<string, unknown> | null> {
    try {
      const result = await this.read(cmdlet, parameters);
      return result.value[0] ?? null;
    } catch (error) {
      if (error instanceof ExoNotFoundError) return null;
      throw error;
    }
  }
}

export interface CloudDependant {
  readonly link:
    | 'Members'
    | 'AcceptMessagesOnlyFromDLMembers'
    | 'RejectMessagesFromDLMembers'
    | 'BypassModerationFromDLMembers'
    | 'GrantSendOnBehalfTo'
    | 'ManagedBy'
    | 'ForwardingAddress';
  readonly recipient: RecipientRecord;
}

/** Whether a dependant's output (a Get- cmdlet's) names the group of this lower-case Name in `link`. */
function namesLink(raw: Record<string, unknown>, link: CloudDependant['link'], name: string): boolean {
  if (link === 'Members') return false;
  if (link === 'ForwardingAddress') return String(raw['ForwardingAddress'] ?? '').toLowerCase() === name;
  return linksNaming(raw, name, [link]).length > 0;
}

/** An identity as compared with a member record's keys (lower case, without an `smtp:` prefix). */
function identityKey(identity: string): string {
  return identity
    .trim()
    .toLowerCase()
    .replace(/^smtp:/, '');
}

/** Every identity a member record answers to (object id, Guid, name, alias, addresses), as identityKey gives them. */
function memberKeys(r: RecipientRecord): string[] {
  return [r.externalDirectoryObjectId, r.guid, r.name, r.alias, ...r.emailAddresses]
    .filter((v) => v !== '')
    .map(identityKey);
}

/** `<tenant>.mail.onmicrosoft.com` among the accepted domains (legacy `*.microsoftonline.com` as fallback). */
export function routingDomainOf(domains: readonly AcceptedDomainRecord[]): string | null {
  const names = domains.map((d) => d.domainName.toLowerCase());
  return (
    names.find((n) => n.endsWith('.mail.onmicrosoft.com')) ??
    names.find((n) => n.endsWith('.microsoftonline.com')) ??
    null
  );
}
