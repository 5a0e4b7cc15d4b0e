// Typed operations over the InvokeCommand transport: everything the migration engine asks of
// Exchange Online. Each method is one cmdlet (or a documented sequence of them) with the
// parameters DLConversionV2 uses, returning camelCase records.
import type { CmdletParameters, AddRemove } from './encoding.js';
import { ExchangeConfiguration } from './configuration.js';
import { addRemove } from './encoding.js';
import { ExoAlreadyExistsError, ExoNotFoundError } from './errors.js';
import { opathEquals } from './opath.js';
import {
  toAcceptedDomain,
  toDistributionGroup,
  toDynamicDistributionGroup,
  toMailbox,
  toMailboxPermission,
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
import type { ExoTransport, InvokeResult } from './transport.js';

/** Update-DistributionGroupMember takes at most this many members in one call. */
export const MAX_MEMBERS_PER_UPDATE = 10_000;

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
  /** Calls made: one Update-DistributionGroupMember plus one Add-DistributionGroupMember per member beyond the first chunk. */
  readonly calls: number;
  readonly replacedWith: number;
  readonly addedAfter: number;
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
      throw new Error(`No Set- cmdlet is known for recipients of type ${recipientTypeDetails}`);
  }
}

export class ExchangeOnline {
  /** Transport and journal rules, dynamic group filters, calendar processing, address lists (issue 16). */
  readonly configuration: ExchangeConfiguration;

  constructor(readonly transport: ExoTransport) {
    this.configuration = new ExchangeConfiguration(transport);
  }

  // ── recipients ────────────────────────────────────────────────────────────────────────────

  /** Get-Recipient by identity (ExternalDirectoryObjectId, address, name); null when it doesn't exist. */
  async getRecipient(identity: string): Promise<RecipientRecord | null> {
    const value = await this.readOne('Get-Recipient', { Identity: identity });
    return value ? toRecipient(value) : null;
  }

  /** Get-Recipient -Filter, every page. */
  async findRecipients(filter: string, extra: CmdletParameters = {}): Promise<RecipientRecord[]> {
    const result = await this.read('Get-Recipient', { Filter: filter, ResultSize: 'Unlimited', ...extra });
    return result.value.map(toRecipient);
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

  /** The group's settings and its full membership; null when the group doesn't exist. */
  async getDistributionGroupWithMembers(
    identity: string,
  ): Promise<{ group: DistributionGroupRecord; members: RecipientRecord[] } | null> {
    const group = await this.getDistributionGroup(identity);
    if (!group) return null;
    // Read members by the immutable id, so a rename in between can't point us elsewhere.
    const members = await this.getDistributionGroupMembers(group.externalDirectoryObjectId || group.guid);
    return { group, members };
  }

  /** New-DistributionGroup. Follow with setDistributionGroup for what New- can't set (addresses, hidden, custom attributes). */
  async newDistributionGroup(input: NewDistributionGroupInput): Promise<DistributionGroupRecord> {
    const result = await this.transport.invoke('New-DistributionGroup', {
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
      throw new Error(`New-DistributionGroup returned no object and "${input.name}" cannot be read back`);
    return read;
  }

  /**
   * Set-DistributionGroup with any parameters. BypassSecurityGroupManagerCheck is always sent: an
   * app is never in ManagedBy, and without it owner/member edits of security groups are refused.
   * Returns the service's warnings (a no-op write only shows up there).
   */
  async setDistributionGroup(identity: string, parameters: CmdletParameters): Promise<readonly string[]> {
    const result = await this.transport.invoke('Set-DistributionGroup', {
      Identity: identity,
      ...parameters,
      BypassSecurityGroupManagerCheck: true,
    });
    return result.warnings;
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
   * Replace the whole membership. Update-DistributionGroupMember accepts at most 10,000 members per
   * call and *replaces* the list, so the first call carries the first chunk (replacing everything
   * that was there) and the remaining members are added one by one with
   * Add-DistributionGroupMember (an "already a member" answer is fine). The end state is exactly
   * `members`. An empty list removes every member.
   */
  async replaceMembers(
    identity: string,
    members: readonly string[],
    options: { chunkSize?: number } = {},
  ): Promise<ReplaceMembersResult> {
    const chunkSize = Math.min(
      MAX_MEMBERS_PER_UPDATE,
      Math.max(1, options.chunkSize ?? MAX_MEMBERS_PER_UPDATE),
    );
    const unique = [...new Set(members)];
    const first = unique.slice(0, chunkSize);
    const rest = unique.slice(chunkSize);
    await this.transport.invoke('Update-DistributionGroupMember', {
      Identity: identity,
      Members: first,
      BypassSecurityGroupManagerCheck: true,
      Confirm: false,
    });
    for (const member of rest) await this.addMember(identity, member);
    return { calls: 1 + rest.length, replacedWith: first.length, addedAfter: rest.length };
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
      await this.transport.invoke(cmdlet, {
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
    await this.transport.invoke('Remove-DistributionGroup', {
      Identity: identity,
      BypassSecurityGroupManagerCheck: true,
      Confirm: false,
    });
  }

  // ── domains and transport ────────────────────────────────────────────────────────────────

  async getAcceptedDomains(): Promise<AcceptedDomainRecord[]> {
    return (await this.read('Get-AcceptedDomain', {})).value.map(toAcceptedDomain);
  }

  async getAcceptedDomain(domain: string): Promise<AcceptedDomainRecord | null> {
    const value = await this.readOne('Get-AcceptedDomain', { Identity: domain });
    return value ? toAcceptedDomain(value) : null;
  }

  /** The tenant's routing domain (`*.mail.onmicrosoft.com`), or null when there is none. */
  async getRoutingDomain(): Promise<string | null> {
    return routingDomainOf(await this.getAcceptedDomains());
  }

  async getOutboundConnectors(): Promise<OutboundConnectorRecord[]> {
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

  async addSendAs(identity: string, trustee: string): Promise<void> {
    await this.transport.invoke('Add-RecipientPermission', {
      Identity: identity,
      Trustee: trustee,
      AccessRights: ['SendAs'],
      Confirm: false,
    });
  }

  async removeSendAs(identity: string, trustee: string): Promise<void> {
    await this.transport.invoke('Remove-RecipientPermission', {
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
    await this.transport.invoke('Add-MailboxPermission', {
      Identity: identity,
      User: user,
      AccessRights: ['FullAccess'],
      InheritanceType: 'All',
      AutoMapping: options.autoMapping,
      Confirm: false,
    });
  }

  async removeFullAccess(identity: string, user: string): Promise<void> {
    await this.transport.invoke('Remove-MailboxPermission', {
      Identity: identity,
      User: user,
      AccessRights: ['FullAccess'],
      InheritanceType: 'All',
      Confirm: false,
    });
  }

  // ── other recipients the engine rewires ──────────────────────────────────────────────────

  async getMailbox(identity: string): Promise<MailboxRecord | null> {
    const value = await this.readOne('Get-Mailbox', { Identity: identity });
    return value ? toMailbox(value) : null;
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
    const result = await this.transport.invoke(cmdlet, {
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
    return (
      await this.transport.invoke('Set-DynamicDistributionGroup', { Identity: identity, ...parameters })
    ).warnings;
  }

  async getUnifiedGroup(identity: string): Promise<UnifiedGroupRecord | null> {
    const value = await this.readOne('Get-UnifiedGroup', { Identity: identity });
    return value ? toUnifiedGroup(value) : null;
  }

  async setUnifiedGroup(identity: string, parameters: CmdletParameters): Promise<readonly string[]> {
    return (await this.transport.invoke('Set-UnifiedGroup', { Identity: identity, ...parameters })).warnings;
  }

  // ── cloud objects that depend on a group (DLConversionV2 phase 11) ───────────────────────

  /**
   * Cloud-only objects that reference the group whose Exchange DistinguishedName is `dn`: groups it
   * is a member of, and recipients whose delivery restrictions, moderation bypass, send-on-behalf,
   * ownership or forwarding name it.
   */
  async findCloudDependants(dn: string): Promise<CloudDependant[]> {
    const notSynced = (p: string) => `(${opathEquals(p, dn)}) -and (IsDirSynced -eq $false)`;
    const queries: Array<{ link: CloudDependant['link']; cmdlet: string; filter: string }> = [
      { link: 'Members', cmdlet: 'Get-Recipient', filter: notSynced('Members') },
    ];
    const restrictionCmdlets = [
      'Get-DistributionGroup',
      'Get-DynamicDistributionGroup',
      'Get-UnifiedGroup',
      'Get-Mailbox',
      'Get-MailUser',
      'Get-MailContact',
    ];
    for (const link of [
      'AcceptMessagesOnlyFromDLMembers',
      'RejectMessagesFromDLMembers',
      'BypassModerationFromDLMembers',
      'GrantSendOnBehalfTo',
    ] as const) {
      for (const cmdlet of restrictionCmdlets) queries.push({ link, cmdlet, filter: notSynced(link) });
    }
    for (const cmdlet of ['Get-DistributionGroup', 'Get-DynamicDistributionGroup']) {
      queries.push({ link: 'ManagedBy', cmdlet, filter: notSynced('ManagedBy') });
    }
    queries.push({
      link: 'ForwardingAddress',
      cmdlet: 'Get-Mailbox',
      filter: opathEquals('ForwardingAddress', dn),
    });
    const found: CloudDependant[] = [];
    for (const q of queries) {
      const result = await this.read(q.cmdlet, { Filter: q.filter, ResultSize: 'Unlimited' });
      for (const raw of result.value) found.push({ link: q.link, recipient: toRecipient(raw) });
    }
    return found;
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────

  private read(cmdlet: string, parameters: CmdletParameters): Promise<InvokeResult> {
    return this.transport.invoke(cmdlet, parameters, { idempotent: true });
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

/** `<tenant>.mail.onmicrosoft.com` among the accepted domains (legacy `*.microsoftonline.com` as fallback). */
export function routingDomainOf(domains: readonly AcceptedDomainRecord[]): string | null {
  const names = domains.map((d) => d.domainName.toLowerCase());
  return (
    names.find((n) => n.endsWith('.mail.onmicrosoft.com')) ??
    names.find((n) => n.endsWith('.microsoftonline.com')) ??
    null
  );
}
