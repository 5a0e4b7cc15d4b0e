// Get-/Set-CalendarProcessing (office-docs-powershell: Get-CalendarProcessing.md, Set-CalendarProcessing.md): the
// booking policy of resource mailboxes. BookInPolicy / RequestInPolicy / RequestOutOfPolicy are kept and shown as
// the LegacyExchangeDN of each user or group (as scripts that read them resolve them: by LegacyExchangeDN);
// ResourceDelegates are recipient links shown by name.
import { defineCmdlet, type CmdletContext, type CmdletDefinition } from '../cmdlet.js';
import { changes, configOf, type CalendarProcessing } from '../config-state.js';
import { cmdletErrors } from '../errors.js';
import type { BoundParameters } from '../params.js';
import { isRecipient, type Recipient } from '../recipient.js';
import type { OutputObject } from '../render.js';

function defaultCalendarProcessing(resource: boolean): CalendarProcessing {
  return {
    // Documented: resource mailboxes made after November 2018 default to AutoAccept; user mailboxes AutoUpdate.
    AutomateProcessing: resource ? 'AutoAccept' : 'AutoUpdate',
    AllBookInPolicy: true,
    AllRequestInPolicy: false,
    AllRequestOutOfPolicy: false,
    BookInPolicy: [],
    RequestInPolicy: [],
    RequestOutOfPolicy: [],
    ResourceDelegates: [],
    ForwardRequestsToDelegates: true,
    AllowConflicts: false,
    AllowRecurringMeetings: true,
    BookingWindowInDays: 180,
    MaximumDurationInMinutes: 1440,
    AddOrganizerToSubject: true,
    DeleteComments: true,
    DeleteSubject: true,
    ProcessExternalMeetingMessages: false,
  };
}

const isMailbox = (r: Recipient) => r.RecipientType === 'UserMailbox';
const isResource = (r: Recipient) => r.RecipientTypeDetails === 'RoomMailbox';

function processingOf(ctx: CmdletContext, mailbox: Recipient): CalendarProcessing {
  return (
    configOf(ctx.tenant).calendarProcessing[mailbox.Guid] ?? defaultCalendarProcessing(isResource(mailbox))
  );
}

const policyLists = ['BookInPolicy', 'RequestInPolicy', 'RequestOutOfPolicy'] as const;
const booleans = [
  'AllBookInPolicy',
  'AllRequestInPolicy',
  'AllRequestOutOfPolicy',
  'ForwardRequestsToDelegates',
  'AllowConflicts',
  'AllowRecurringMeetings',
  'AddOrganizerToSubject',
  'DeleteComments',
  'DeleteSubject',
  'ProcessExternalMeetingMessages',
] as const;

function policyEntry(ctx: CmdletContext, parameter: string, identity: string): string {
  const r = ctx.dir.resolve(identity, isRecipient, cmdletErrors.recipientNotFound);
  // Documented for BookInPolicy: "Query-based groups (for example, dynamic distribution groups) aren't supported."
  if (r.RecipientType === 'DynamicDistributionGroup')
    throw cmdletErrors.invalidValue(
      parameter,
      `"${identity}" is a dynamic distribution group; query-based groups aren't supported.`,
    );
  return r.LegacyExchangeDN;
}

function apply(ctx: CmdletContext, draft: CalendarProcessing, p: BoundParameters): void {
  for (const list of policyLists) {
    const given = p.list(list);
    if (given !== undefined) draft[list] = [...new Set(given.map((i) => policyEntry(ctx, list, i)))];
  }
  const delegates = p.list('ResourceDelegates');
  if (delegates !== undefined)
    draft.ResourceDelegates = [
      ...new Set(
        delegates.map((i) => {
          const r = ctx.dir.resolve(i, isRecipient, cmdletErrors.recipientNotFound);
          // Documented: "specifies users [who] can approve or reject requests"; a delegate is a mailbox user.
          if (!isMailbox(r))
            throw cmdletErrors.invalidValue('ResourceDelegates', `"${i}" isn't a mailbox user.`);
          return r.Guid;
        }),
      ),
    ];
  for (const name of booleans) {
    const v = p.bool(name);
    if (v !== undefined) draft[name] = v;
  }
  const automate = p.string('AutomateProcessing');
  if (automate !== undefined) draft.AutomateProcessing = automate as CalendarProcessing['AutomateProcessing'];
  const window = p.number('BookingWindowInDays');
  if (window !== undefined) {
    if (window > 1080)
      throw cmdletErrors.invalidValue(
        'BookingWindowInDays',
        'A valid value is an integer from 0 through 1080.',
      );
    draft.BookingWindowInDays = window;
  }
  const duration = p.number('MaximumDurationInMinutes');
  if (duration !== undefined) draft.MaximumDurationInMinutes = duration;
}

function render(ctx: CmdletContext, mailbox: Recipient, c: CalendarProcessing): OutputObject {
  return {
    Identity: mailbox.Name,
    MailboxOwnerId: mailbox.Name,
    ...Object.fromEntries(booleans.map((n) => [n, c[n]])),
    AutomateProcessing: c.AutomateProcessing,
    BookInPolicy: [...c.BookInPolicy],
    RequestInPolicy: [...c.RequestInPolicy],
    RequestOutOfPolicy: [...c.RequestOutOfPolicy],
    ResourceDelegates: c.ResourceDelegates.map((g) => ctx.dir.get(g)?.Name).filter((n): n is string => !!n),
    BookingWindowInDays: c.BookingWindowInDays,
    MaximumDurationInMinutes: c.MaximumDurationInMinutes,
  };
}

export const calendarProcessingCmdlets: CmdletDefinition[] = [
  defineCmdlet({
    name: 'Get-CalendarProcessing',
    readOnly: true,
    params: {
      Identity: { kind: 'string' },
      ReadFromDomainController: { kind: 'bool' },
      ResultSize: { kind: 'resultSize' },
    },
    mandatory: ['Identity'],
    run(ctx, p) {
      const mailbox = ctx.dir.resolve(p.string('Identity')!, isMailbox);
      return [render(ctx, mailbox, processingOf(ctx, mailbox))];
    },
  }),
  defineCmdlet({
    name: 'Set-CalendarProcessing',
    readOnly: false,
    params: {
      Identity: { kind: 'string' },
      AutomateProcessing: { kind: 'enum', values: ['None', 'AutoUpdate', 'AutoAccept'] },
      ...Object.fromEntries(booleans.map((n) => [n, { kind: 'bool' } as const])),
      ...Object.fromEntries(policyLists.map((n) => [n, { kind: 'list' } as const])),
      ResourceDelegates: { kind: 'list' },
      BookingWindowInDays: { kind: 'int' },
      MaximumDurationInMinutes: { kind: 'int' },
    },
    mandatory: ['Identity'],
    run(ctx, p) {
      const mailbox = ctx.dir.resolve(p.string('Identity')!, isMailbox);
      // Documented: "The settings returned by this cmdlet are editable only on resource mailboxes."
      if (!isResource(mailbox))
        throw cmdletErrors.invalidValue(
          'Identity',
          `"${mailbox.Name}" isn't a resource mailbox; calendar processing can be changed only on resource mailboxes.`,
        );
      const before = processingOf(ctx, mailbox);
      const draft = structuredClone(before);
      apply(ctx, draft, p);
      if (!changes(ctx, before, draft, ctx.dir.canonicalPath(mailbox))) return;
      configOf(ctx.tenant).calendarProcessing[mailbox.Guid] = draft;
    },
  }),
];
