// Folder-level permissions (Get-/Add-/Remove-MailboxFolderPermission.md): `-Identity <mailbox>:\<folder>`, the
// mailbox's default folders only (the simulator keeps no folder tree), rights as the individual permissions or the
// roles Add-MailboxFolderPermission.md lists. -User takes security principals only ("mailboxes, mail users,
// mail-enabled security groups"): a distribution group is refused like Add-MailboxPermission's -User.
// Every folder lists "Default" and "Anonymous" first, as Outlook shows them.
import { defineCmdlet, type CmdletContext } from '../cmdlet.js';
import { cmdletErrors } from '../errors.js';
import type { Recipient } from '../recipient.js';
import type { OutputObject } from '../render.js';
import { limitResults } from './read.js';
import { resolveTrustee } from './permissions.js';

/** The default folders a mailbox has ("" is its root, shown as "Top of Information Store"). */
const DEFAULT_FOLDERS = [
  '',
  'Inbox',
  'Calendar',
  'Contacts',
  'Sent Items',
  'Deleted Items',
  'Drafts',
  'Tasks',
  'Notes',
  'Journal',
];

const RIGHTS = [
  'None',
  'CreateItems',
  'CreateSubfolders',
  'DeleteAllItems',
  'DeleteOwnedItems',
  'EditAllItems',
  'EditOwnedItems',
  'FolderContact',
  'FolderOwner',
  'FolderVisible',
  'ReadItems',
  'Author',
  'Contributor',
  'Editor',
  'NonEditingAuthor',
  'Owner',
  'PublishingAuthor',
  'PublishingEditor',
  'Reviewer',
  'AvailabilityOnly',
  'LimitedDetails',
];
const CALENDAR_ONLY = ['AvailabilityOnly', 'LimitedDetails'];

function folderOf(ctx: CmdletContext, identity: string): { mailbox: Recipient; folder: string } {
  const at = identity.indexOf(':\\');
  if (at <= 0) throw cmdletErrors.notFound(identity);
  const mailbox = ctx.dir.resolve(identity.slice(0, at), (r) => r.RecipientType === 'UserMailbox');
  const path = identity.slice(at + 2).replace(/\\+$/, '');
  const folder = DEFAULT_FOLDERS.find((f) => f.toLowerCase() === path.toLowerCase());
  if (folder === undefined) throw cmdletErrors.notFound(identity);
  return { mailbox, folder };
}

function normaliseFolderRights(rights: string[], folder: string): string[] {
  return rights.map((r) => {
    const match = RIGHTS.find((m) => m.toLowerCase() === r.toLowerCase());
    if (match === undefined || (CALENDAR_ONLY.includes(match) && folder !== 'Calendar'))
      throw cmdletErrors.invalidArgument(
        'AccessRights',
        `Cannot convert value "${r}" to type "Microsoft.Exchange.Management.StoreTasks.MailboxFolderAccessRight".`,
      );
    return match;
  });
}

function entryOutput(
  mailbox: Recipient,
  folder: string,
  user: string,
  rights: readonly string[],
): OutputObject {
  return {
    Identity: `${mailbox.Name}:\\${folder}`,
    FolderName: folder === '' ? 'Top of Information Store' : folder,
    User: user,
    AccessRights: [...rights],
    SharingPermissionFlags: null,
  };
}

/** Display name, as Outlook's permission list names a user or group. */
function shownName(r: Recipient): string {
  return r.DisplayName || r.Name;
}

export const folderPermissionCmdlets = [
  defineCmdlet({
    name: 'Get-MailboxFolderPermission',
    readOnly: true,
    params: { Identity: { kind: 'string' }, User: { kind: 'string' }, ResultSize: { kind: 'resultSize' } },
    mandatory: ['Identity'],
    run(ctx, p) {
      const { mailbox, folder } = folderOf(ctx, p.string('Identity')!);
      const user = p.string('User')
        ? ctx.dir.resolve(p.string('User')!, undefined, cmdletErrors.recipientNotFound)
        : undefined;
      const entries: OutputObject[] = user
        ? []
        : [
            entryOutput(mailbox, folder, 'Default', [folder === 'Calendar' ? 'AvailabilityOnly' : 'None']),
            entryOutput(mailbox, folder, 'Anonymous', ['None']),
          ];
      for (const e of ctx.tenant.mailboxFolderPermissions) {
        if (e.mailbox !== mailbox.Guid || e.folder !== folder || (user && e.user !== user.Guid)) continue;
        const u = ctx.dir.get(e.user);
        if (u) entries.push(entryOutput(mailbox, folder, shownName(u), e.accessRights));
      }
      return limitResults(ctx, p, entries);
    },
  }),
  defineCmdlet({
    name: 'Add-MailboxFolderPermission',
    readOnly: false,
    params: {
      Identity: { kind: 'string' },
      User: { kind: 'string' },
      AccessRights: { kind: 'list' },
      SendNotificationToUser: { kind: 'bool' },
      SharingPermissionFlags: { kind: 'list' },
    },
    mandatory: ['Identity', 'User', 'AccessRights'],
    run(ctx, p) {
      const { mailbox, folder } = folderOf(ctx, p.string('Identity')!);
      const rights = normaliseFolderRights(p.list('AccessRights')!, folder);
      const user = resolveTrustee(ctx, p.string('User')!, 'User');
      // A second Add for the same user is refused: changing an entry is Set-MailboxFolderPermission's job.
      if (
        ctx.tenant.mailboxFolderPermissions.some(
          (e) => e.mailbox === mailbox.Guid && e.folder === folder && e.user === user.Guid,
        )
      )
        throw cmdletErrors.folderUserExists(shownName(user));
      ctx.tenant.mailboxFolderPermissions.push({
        mailbox: mailbox.Guid,
        folder,
        user: user.Guid,
        accessRights: rights,
      });
      return [entryOutput(mailbox, folder, shownName(user), rights)];
    },
  }),
  defineCmdlet({
    name: 'Remove-MailboxFolderPermission',
    readOnly: false,
    params: { Identity: { kind: 'string' }, User: { kind: 'string' } },
    mandatory: ['Identity', 'User'],
    run(ctx, p) {
      const { mailbox, folder } = folderOf(ctx, p.string('Identity')!);
      const user = ctx.dir.resolve(p.string('User')!, undefined, cmdletErrors.recipientNotFound);
      const before = ctx.tenant.mailboxFolderPermissions.length;
      ctx.tenant.mailboxFolderPermissions = ctx.tenant.mailboxFolderPermissions.filter(
        (e) => !(e.mailbox === mailbox.Guid && e.folder === folder && e.user === user.Guid),
      );
      if (ctx.tenant.mailboxFolderPermissions.length === before)
        throw cmdletErrors.folderUserMissing(shownName(user));
    },
  }),
];
