// Distribution group lifecycle and membership, plus the dynamic DL and Microsoft 365 group setters.
import { defineCmdlet, type CmdletContext, type CmdletDefinition } from '../cmdlet.js';
import { cmdletErrors, refuseTakenName } from '../errors.js';
import { isDistributionGroup, isRecipient, newRecipient, type Recipient } from '../recipient.js';
import { assertRecipientFilter } from '../recipient-filter.js';
import { renderRecipient } from '../render.js';
import {
  addressParams,
  applySettings,
  assertAcceptedDomain,
  assertManagerCheckBypassed,
  assertWritable,
  commitSetting,
  deliveryParams,
  groupParams,
  resolveAll,
} from '../settings.js';

/** Exchange's cap on members given in one command (docs: Members / Update-DistributionGroupMember). */
export const maxMembersPerCall = 10_000;

function defaultDomain(ctx: CmdletContext): string {
  return (
    (ctx.tenant.acceptedDomains.find((d) => d.Default) ?? ctx.tenant.acceptedDomains[0])?.DomainName ??
    ctx.tenant.initialDomain
  );
}

function aliasFromName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/g, '').replace(/^\.+|\.+$/g, '');
  return cleaned || 'group';
}

/** Resolves member identities; a group can't contain itself. */
function resolveMembers(ctx: CmdletContext, group: Recipient, identities: string[]): string[] {
  const guids = resolveAll(ctx, identities);
  if (guids.includes(group.Guid))
    throw cmdletErrors.invalidValue('Members', `The group "${group.Name}" can't be a member of itself.`);
  return [...new Set(guids)];
}

function draftOf(ctx: CmdletContext, identity: string, accept: (r: Recipient) => boolean): Recipient {
  return structuredClone(ctx.dir.resolve(identity, accept));
}

function commit(ctx: CmdletContext, draft: Recipient): void {
  ctx.dir.touch(draft);
  ctx.dir.put(draft);
}

const memberChange = {
  Identity: { kind: 'string' },
  Member: { kind: 'string' },
  BypassSecurityGroupManagerCheck: { kind: 'bool' },
} as const;

/**
 * Server time of a membership change (TenantBehaviour.memberUpdateMs per member) and the REST
 * cut-off: "Cmdlets backed by the REST API have a 15-minute timeout … Update-DistributionGroupMember
 * command to update 10,000 members … might time out" ("About the Exchange Online PowerShell
 * module"). Returns how many members are processed before the cut-off (all when it isn't reached).
 */
function memberWork(ctx: CmdletContext, count: number): number {
  const perMember = ctx.tenant.behaviour.memberUpdateMs;
  const cutOffMs = ctx.tenant.behaviour.restTimeoutSeconds * 1000;
  if (perMember <= 0) return count;
  const workMs = count * perMember;
  if (workMs <= cutOffMs) {
    ctx.serverTimeMs = workMs;
    return count;
  }
  ctx.serverTimeMs = cutOffMs;
  ctx.cutOff = true;
  return Math.floor(cutOffMs / perMember);
}

/**
 * Members of a group as a set, kept with its Members array while one-member edits go on: a 100,000-member group
 * gets its members one Add-DistributionGroupMember at a time, and a copy or a linear search per call would make
 * that quadratic. Rebuilt whenever the array was replaced or changed by other code (its length differs).
 */
const memberSets = new WeakMap<string[], Set<string>>();

function memberSetOf(group: Recipient): Set<string> {
  let set = memberSets.get(group.Members);
  if (set === undefined || set.size !== group.Members.length) {
    set = new Set(group.Members);
    memberSets.set(group.Members, set);
  }
  return set;
}

/**
 * One-member edits change the stored group in place (every check comes first, so a refusal changes nothing):
 * cloning the whole group per call, as the setters do, would copy its member list every time.
 */
function membershipEdit(
  name: string,
  change: 'added' | 'removed',
  edit: (ctx: CmdletContext, group: Recipient, member: Recipient) => void,
): CmdletDefinition {
  return defineCmdlet({
    name,
    readOnly: false,
    params: memberChange,
    mandatory: ['Identity', 'Member'],
    run(ctx, p) {
      const group = ctx.dir.resolve(p.string('Identity')!, isDistributionGroup);
      if (group.IsDirSynced) throw cmdletErrors.dirSynced(ctx.cmdlet, 'Members', group.Name);
      assertManagerCheckBypassed(p);
      const member = ctx.dir.resolve(p.string('Member')!, isRecipient, cmdletErrors.recipientNotFound);
      memberWork(ctx, 1);
      edit(ctx, group, member);
      ctx.dir.touch(group);
      ctx.dir.putMembership(group, member.Guid, change);
    },
  });
}

export const groupCmdlets: CmdletDefinition[] = [
  defineCmdlet({
    name: 'New-DistributionGroup',
    readOnly: false,
    params: {
      Name: { kind: 'string', maxLength: 64 },
      Alias: { kind: 'string', maxLength: 64 },
      DisplayName: { kind: 'string', maxLength: 256 },
      PrimarySmtpAddress: { kind: 'string' },
      Type: { kind: 'enum', values: ['Distribution', 'Security'] },
      ManagedBy: { kind: 'multi' },
      CopyOwnerToMember: { kind: 'bool' },
      Members: { kind: 'multi', maxValues: maxMembersPerCall },
      ModeratedBy: { kind: 'multi' },
      ModerationEnabled: { kind: 'bool' },
      SendModerationNotifications: { kind: 'enum', values: ['Never', 'Internal', 'Always'] },
      MemberJoinRestriction: { kind: 'enum', values: ['Open', 'Closed', 'ApprovalRequired'] },
      MemberDepartRestriction: { kind: 'enum', values: ['Open', 'Closed'] },
      RequireSenderAuthenticationEnabled: { kind: 'bool' },
      RoomList: { kind: 'bool' },
      IgnoreNamingPolicy: { kind: 'bool' },
      BypassNestedModerationEnabled: { kind: 'bool' },
      Notes: { kind: 'string', maxLength: 1024 },
    },
    mandatory: ['Name'],
    run(ctx, p) {
      const name = p.string('Name')!;
      refuseTakenName(ctx.dir.all(), name);
      const alias = p.string('Alias') ?? aliasFromName(name);
      // "If you don't use this parameter … the user account that created the group is the owner"
      // (New-DistributionGroup.md, ManagedBy). An app is no user account: what the service does then
      // is the tenant behaviour groupWithoutOwner (an ownerless group, or a refusal).
      if (!p.has('ManagedBy') && ctx.tenant.behaviour.groupWithoutOwner === 'refused')
        throw cmdletErrors.ownerRequired();
      const primary = p.string('PrimarySmtpAddress') ?? `${alias}@${defaultDomain(ctx)}`;
      assertAcceptedDomain(ctx, primary, 'PrimarySmtpAddress');
      const security = p.string('Type') === 'Security';
      const addresses = [`SMTP:${primary}`];
      // Exchange Online always stamps the initial-domain address too.
      const initial = `${alias}@${ctx.tenant.initialDomain}`;
      if (initial.toLowerCase() !== primary.toLowerCase()) addresses.push(`smtp:${initial}`);
      ctx.dir.assertAddressesFree(addresses);
      const group = newRecipient({
        Name: name,
        Alias: alias,
        DisplayName: p.string('DisplayName') ?? name,
        PrimarySmtpAddress: primary,
        EmailAddresses: addresses,
        RecipientTypeDetails: p.bool('RoomList')
          ? 'RoomList'
          : security
            ? 'MailUniversalSecurityGroup'
            : 'MailUniversalDistributionGroup',
      });
      group.Notes = p.string('Notes') ?? null;
      const settings = p.without([
        'Name',
        'Alias',
        'DisplayName',
        'PrimarySmtpAddress',
        'Members',
        'Type',
        'CopyOwnerToMember',
        'RoomList',
        'Notes',
      ]);
      applySettings(ctx, group, settings, true);
      const members = p.multi('Members');
      if (members) group.Members = resolveMembers(ctx, group, [...(members.replace ?? []), ...members.add]);
      if (p.bool('CopyOwnerToMember'))
        for (const o of group.ManagedBy) if (!group.Members.includes(o)) group.Members.push(o);
      ctx.dir.put(group);
      return [renderRecipient(ctx.dir, group)];
    },
  }),
  defineCmdlet({
    name: 'Set-DistributionGroup',
    readOnly: false,
    params: { Identity: { kind: 'string' }, ...addressParams, ...deliveryParams, ...groupParams },
    mandatory: ['Identity'],
    run(ctx, p) {
      const stored = ctx.dir.resolve(p.string('Identity')!, isDistributionGroup);
      const group = structuredClone(stored);
      assertWritable(ctx, group, p);
      assertManagerCheckBypassed(p);
      applySettings(ctx, group, p, true);
      commitSetting(ctx, stored, group);
    },
  }),
  defineCmdlet({
    name: 'Remove-DistributionGroup',
    readOnly: false,
    params: { Identity: { kind: 'string' }, BypassSecurityGroupManagerCheck: { kind: 'bool' } },
    mandatory: ['Identity'],
    run(ctx, p) {
      const group = ctx.dir.resolve(p.string('Identity')!, isDistributionGroup);
      if (group.IsDirSynced) throw cmdletErrors.dirSynced(ctx.cmdlet, 'Identity', group.Name);
      assertManagerCheckBypassed(p);
      ctx.dir.remove(group.Guid);
    },
  }),
  defineCmdlet({
    name: 'Update-DistributionGroupMember',
    readOnly: false,
    params: {
      Identity: { kind: 'string' },
      Members: { kind: 'list' },
      BypassSecurityGroupManagerCheck: { kind: 'bool' },
    },
    mandatory: ['Identity'],
    run(ctx, p) {
      const group = draftOf(ctx, p.string('Identity')!, isDistributionGroup);
      if (group.IsDirSynced) throw cmdletErrors.dirSynced(ctx.cmdlet, 'Members', group.Name);
      assertManagerCheckBypassed(p);
      const members = p.list('Members') ?? [];
      // Whether an empty -Members array binds is not documented: tenant behaviour emptyMembers.
      if (p.has('Members') && members.length === 0 && ctx.tenant.behaviour.emptyMembers === 'refused')
        throw cmdletErrors.emptyArgument('Members');
      if (members.length > maxMembersPerCall) throw cmdletErrors.tooManyValues('Members', maxMembersPerCall);
      const wanted = resolveMembers(ctx, group, members);
      const processed = memberWork(ctx, wanted.length);
      // Cut off: the members processed so far were added; the old ones are removed only when the
      // whole replace completes (assumed: the service gives no partial-result guarantee).
      group.Members =
        processed < wanted.length ? [...new Set([...group.Members, ...wanted.slice(0, processed)])] : wanted;
      commit(ctx, group);
    },
  }),
  membershipEdit('Add-DistributionGroupMember', 'added', (ctx, group, member) => {
    if (member.Guid === group.Guid)
      throw cmdletErrors.invalidValue('Member', `The group "${group.Name}" can't be a member of itself.`);
    const members = memberSetOf(group);
    if (members.has(member.Guid)) throw cmdletErrors.memberExists(member.Name, group.Name);
    group.Members.push(member.Guid);
    members.add(member.Guid);
  }),
  membershipEdit('Remove-DistributionGroupMember', 'removed', (ctx, group, member) => {
    if (!memberSetOf(group).has(member.Guid)) throw cmdletErrors.memberNotFound(member.Name, group.Name);
    group.Members = group.Members.filter((g) => g !== member.Guid);
  }),
  defineCmdlet({
    name: 'Set-DynamicDistributionGroup',
    readOnly: false,
    params: {
      Identity: { kind: 'string' },
      ...addressParams,
      ...deliveryParams,
      ManagedBy: { kind: 'string' },
      RecipientFilter: { kind: 'string' },
      Notes: { kind: 'string', maxLength: 1024 },
    },
    mandatory: ['Identity'],
    run(ctx, p) {
      const stored = ctx.dir.resolve(
        p.string('Identity')!,
        (r) => r.RecipientTypeDetails === 'DynamicDistributionGroup',
      );
      const ddg = structuredClone(stored);
      applySettings(ctx, ddg, p, false);
      // ManagedBy is single-valued on a dynamic distribution group: setting it replaces the owner.
      const owner = p.nullableString('ManagedBy');
      if (owner !== undefined) ddg.ManagedBy = owner === null ? [] : resolveAll(ctx, [owner]);
      const filter = p.string('RecipientFilter');
      if (filter !== undefined) {
        assertRecipientFilter(ctx, filter);
        ddg.RecipientFilter = filter;
      }
      const notes = p.nullableString('Notes');
      if (notes !== undefined) ddg.Notes = notes;
      commitSetting(ctx, stored, ddg);
    },
  }),
  defineCmdlet({
    name: 'Set-UnifiedGroup',
    readOnly: false,
    params: { Identity: { kind: 'string' }, ...addressParams, ...deliveryParams },
    mandatory: ['Identity'],
    run(ctx, p) {
      const stored = ctx.dir.resolve(p.string('Identity')!, (r) => r.RecipientTypeDetails === 'GroupMailbox');
      const group = structuredClone(stored);
      applySettings(ctx, group, p, false);
      commitSetting(ctx, stored, group);
    },
  }),
];
