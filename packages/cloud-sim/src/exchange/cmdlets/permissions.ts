// Send As (Get/Add/Remove-RecipientPermission) and mailbox permissions (…-MailboxPermission).
// Permissions are Exchange Online data, so they are writable on synced objects too.
import { defineCmdlet, type CmdletContext, type CmdletDefinition } from '../cmdlet.js';
import { cmdletErrors } from '../errors.js';
import { isSecurityPrincipal, type Recipient } from '../recipient.js';
import type { OutputObject } from '../render.js';
import { limitResults } from './read.js';
import { securityIdentifier } from '../sid.js';

function trusteeName(r: Recipient): string {
  return r.UserPrincipalName ?? r.Name;
}

export function resolveTrustee(ctx: CmdletContext, identity: string, parameter: string): Recipient {
  const r = ctx.dir.resolve(identity, undefined, cmdletErrors.recipientNotFound);
  // Plain directory users are security principals too (they just aren't recipients).
  if (!isSecurityPrincipal(r) && r.RecipientType !== 'User')
    throw cmdletErrors.notSecurityPrincipal(r.Name, parameter);
  return r;
}

function recipientPermissionOutput(
  ctx: CmdletContext,
  identity: Recipient,
  trustee: Recipient,
): OutputObject {
  return {
    Identity: identity.Name,
    Trustee: trusteeName(trustee),
    TrusteeSidString: securityIdentifier(trustee),
    AccessControlType: 'Allow',
    AccessRights: ['SendAs'],
    IsInherited: false,
    InheritanceType: 'None',
  };
}

const selfEntry = (mailbox: Recipient): OutputObject => ({
  Identity: mailbox.Name,
  User: 'NT AUTHORITY\\SELF',
  UserSid: 'S-1-5-10',
  AccessRights: ['FullAccess', 'ReadPermission'],
  IsInherited: false,
  Deny: false,
  InheritanceType: 'All',
});

const mailboxRights = [
  'ChangeOwner',
  'ChangePermission',
  'DeleteItem',
  'ExternalAccount',
  'FullAccess',
  'ReadPermission',
];

export const permissionCmdlets: CmdletDefinition[] = [
  defineCmdlet({
    name: 'Get-RecipientPermission',
    readOnly: true,
    params: {
      Identity: { kind: 'string' },
      Trustee: { kind: 'string' },
      AccessRights: { kind: 'list' },
      ResultSize: { kind: 'resultSize' },
    },
    run(ctx, p) {
      const identity = p.string('Identity') ? ctx.dir.resolve(p.string('Identity')!) : undefined;
      // -Trustee takes security principals only (Get-RecipientPermission.md: mailbox users, mail
      // users, security groups), like Add-RecipientPermission: a distribution list is refused.
      const trustee = p.string('Trustee') ? resolveTrustee(ctx, p.string('Trustee')!, 'Trustee') : undefined;
      const entries = ctx.tenant.recipientPermissions.filter(
        (e) => (!identity || e.identity === identity.Guid) && (!trustee || e.trustee === trustee.Guid),
      );
      return limitResults(ctx, p, entries).flatMap((e) => {
        const i = ctx.dir.get(e.identity);
        const t = ctx.dir.get(e.trustee);
        return i && t ? [recipientPermissionOutput(ctx, i, t)] : [];
      });
    },
  }),
  sendAsEdit('Add-RecipientPermission', true, (ctx, identity, trustee) => {
    const exists = ctx.tenant.recipientPermissions.some(
      (e) => e.identity === identity.Guid && e.trustee === trustee.Guid,
    );
    if (exists)
      ctx.warnings.push(
        `The appropriate access control entry is already present on object "${identity.Name}" for account "${trusteeName(trustee)}".`,
      );
    else
      ctx.tenant.recipientPermissions.push({
        identity: identity.Guid,
        trustee: trustee.Guid,
        accessRights: 'SendAs',
      });
    return [recipientPermissionOutput(ctx, identity, trustee)];
  }),
  sendAsEdit('Remove-RecipientPermission', false, (ctx, identity, trustee) => {
    const before = ctx.tenant.recipientPermissions.length;
    ctx.tenant.recipientPermissions = ctx.tenant.recipientPermissions.filter(
      (e) => !(e.identity === identity.Guid && e.trustee === trustee.Guid),
    );
    if (ctx.tenant.recipientPermissions.length === before)
      ctx.warnings.push(
        `Can't remove the access control entry on the object "${identity.Name}" for account "${trusteeName(trustee)}" because the ACE doesn't exist on the object.`,
      );
  }),
  defineCmdlet({
    name: 'Get-MailboxPermission',
    readOnly: true,
    params: { Identity: { kind: 'string' }, User: { kind: 'string' }, ResultSize: { kind: 'resultSize' } },
    mandatory: ['Identity'],
    run(ctx, p) {
      const mailbox = ctx.dir.resolve(p.string('Identity')!, (r) => r.RecipientType === 'UserMailbox');
      const user = p.string('User')
        ? ctx.dir.resolve(p.string('User')!, undefined, cmdletErrors.recipientNotFound)
        : undefined;
      const entries: OutputObject[] = user ? [] : [selfEntry(mailbox)];
      for (const e of ctx.tenant.mailboxPermissions) {
        if (e.identity !== mailbox.Guid || (user && e.user !== user.Guid)) continue;
        const u = ctx.dir.get(e.user);
        if (!u) continue;
        entries.push({
          Identity: mailbox.Name,
          User: trusteeName(u),
          UserSid: securityIdentifier(u),
          AccessRights: [...e.accessRights],
          IsInherited: false,
          Deny: e.deny,
          InheritanceType: e.inheritanceType,
        });
      }
      return limitResults(ctx, p, entries);
    },
  }),
  defineCmdlet({
    name: 'Add-MailboxPermission',
    readOnly: false,
    params: {
      Identity: { kind: 'string' },
      User: { kind: 'string' },
      AccessRights: { kind: 'list' },
      AutoMapping: { kind: 'bool' },
      InheritanceType: {
        kind: 'enum',
        values: ['None', 'All', 'Children', 'Descendents', 'SelfAndChildren'],
      },
      Deny: { kind: 'bool' },
    },
    mandatory: ['Identity', 'User', 'AccessRights'],
    run(ctx, p) {
      const rights = normaliseRights(p.list('AccessRights')!);
      const mailbox = ctx.dir.resolve(p.string('Identity')!, (r) => r.RecipientType === 'UserMailbox');
      const user = resolveTrustee(ctx, p.string('User')!, 'User');
      const deny = p.bool('Deny') ?? false;
      const inheritanceType = p.string('InheritanceType') ?? 'All';
      const existing = ctx.tenant.mailboxPermissions.find(
        (e) => e.identity === mailbox.Guid && e.user === user.Guid && e.deny === deny,
      );
      if (existing) existing.accessRights = [...new Set([...existing.accessRights, ...rights])];
      else
        ctx.tenant.mailboxPermissions.push({
          identity: mailbox.Guid,
          user: user.Guid,
          accessRights: rights,
          inheritanceType,
          deny,
        });
      return [
        {
          Identity: mailbox.Name,
          User: trusteeName(user),
          AccessRights: rights,
          IsInherited: false,
          Deny: deny,
          InheritanceType: inheritanceType,
        },
      ];
    },
  }),
  defineCmdlet({
    name: 'Remove-MailboxPermission',
    readOnly: false,
    params: {
      Identity: { kind: 'string' },
      User: { kind: 'string' },
      AccessRights: { kind: 'list' },
      InheritanceType: {
        kind: 'enum',
        values: ['None', 'All', 'Children', 'Descendents', 'SelfAndChildren'],
      },
      Deny: { kind: 'bool' },
      BypassMasterAccountSid: { kind: 'bool' },
    },
    mandatory: ['Identity', 'User', 'AccessRights'],
    run(ctx, p) {
      const rights = normaliseRights(p.list('AccessRights')!);
      const mailbox = ctx.dir.resolve(p.string('Identity')!, (r) => r.RecipientType === 'UserMailbox');
      const user = ctx.dir.resolve(p.string('User')!, undefined, cmdletErrors.recipientNotFound);
      const deny = p.bool('Deny') ?? false;
      const entry = ctx.tenant.mailboxPermissions.find(
        (e) => e.identity === mailbox.Guid && e.user === user.Guid && e.deny === deny,
      );
      if (!entry || !rights.some((r) => entry.accessRights.includes(r))) {
        ctx.warnings.push(
          `Can't remove the access control entry on the object "${mailbox.Name}" for account "${trusteeName(user)}" because the ACE doesn't exist on the object.`,
        );
        return;
      }
      entry.accessRights = entry.accessRights.filter((r) => !rights.includes(r));
      if (entry.accessRights.length === 0)
        ctx.tenant.mailboxPermissions = ctx.tenant.mailboxPermissions.filter((e) => e !== entry);
    },
  }),
];

/** Add-/Remove-RecipientPermission: same parameters; only an added trustee must be a security principal. */
function sendAsEdit(
  name: string,
  checkPrincipal: boolean,
  edit: (ctx: CmdletContext, identity: Recipient, trustee: Recipient) => OutputObject[] | void,
): CmdletDefinition {
  return defineCmdlet({
    name,
    readOnly: false,
    params: { Identity: { kind: 'string' }, Trustee: { kind: 'string' }, AccessRights: { kind: 'list' } },
    mandatory: ['Identity', 'Trustee', 'AccessRights'],
    run(ctx, p) {
      assertSendAs(p.list('AccessRights')!);
      const identity = ctx.dir.resolve(p.string('Identity')!);
      const trustee = checkPrincipal
        ? resolveTrustee(ctx, p.string('Trustee')!, 'Trustee')
        : ctx.dir.resolve(p.string('Trustee')!, undefined, cmdletErrors.recipientNotFound);
      return edit(ctx, identity, trustee);
    },
  });
}

function assertSendAs(rights: string[]): void {
  if (rights.length === 0 || rights.some((r) => r.toLowerCase() !== 'sendas'))
    throw cmdletErrors.invalidArgument('AccessRights', 'The only valid value for AccessRights is "SendAs".');
}

function normaliseRights(rights: string[]): string[] {
  return rights.map((r) => {
    const match = mailboxRights.find((m) => m.toLowerCase() === r.toLowerCase());
    if (!match)
      throw cmdletErrors.invalidArgument(
        'AccessRights',
        `Cannot convert value "${r}" to type "Microsoft.Exchange.Management.RecipientTasks.MailboxRights". Valid values: ${mailboxRights.join(', ')}.`,
      );
    return match;
  });
}
