// New-/Get-/Set-/Remove-JournalRule (office-docs-powershell: New-JournalRule.md, Set-JournalRule.md). The journaled
// Recipient is an SMTP address (type SmtpAddress), kept as text; the journal recipient is a recipient link.
import { randomUUID } from 'node:crypto';
import { defineCmdlet, type CmdletContext, type CmdletDefinition } from '../cmdlet.js';
import { changes, configOf, type JournalRule } from '../config-state.js';
import { cmdletErrors, refuseTakenName } from '../errors.js';
import type { BoundParameters } from '../params.js';
import { isRecipient } from '../recipient.js';
import type { OutputObject } from '../render.js';

const scope = { kind: 'enum', values: ['Global', 'Internal', 'External'] } as const;

function findJournalRule(ctx: CmdletContext, identity: string): JournalRule {
  const wanted = identity.trim().toLowerCase();
  const rule = configOf(ctx.tenant).journalRules.find(
    (r) => r.Name.toLowerCase() === wanted || r.Guid.toLowerCase() === wanted,
  );
  if (!rule) throw cmdletErrors.notFound(identity);
  return rule;
}

function smtpAddress(value: string): string {
  const address = value.replace(/^smtp:/i, '');
  if (!/^[^@\s:]+@[^@\s]+\.[^@\s]+$/.test(address))
    throw cmdletErrors.invalidArgument(
      'Recipient',
      `Cannot convert value "${value}" to type "Microsoft.Exchange.Data.SmtpAddress". Error: "The email address "${value}" isn't correct."`,
    );
  return address;
}

/**
 * The journal recipient. Exchange Online can't deliver journal reports to one of its own mailboxes ("Journaling in
 * Exchange Online": the journaling mailbox can't be an Exchange Online mailbox), so a mailbox is refused.
 */
function journalRecipient(ctx: CmdletContext, identity: string): string {
  const r = ctx.dir.resolve(identity, isRecipient, cmdletErrors.recipientNotFound);
  if (r.RecipientType === 'UserMailbox')
    throw cmdletErrors.invalidValue(
      'JournalEmailAddress',
      `The journal recipient "${identity}" can't be an Exchange Online mailbox. Use a mail user or mail contact.`,
    );
  return r.Guid;
}

function apply(ctx: CmdletContext, rule: JournalRule, p: BoundParameters): void {
  const name = p.string('Name');
  if (name !== undefined && name.toLowerCase() !== rule.Name.toLowerCase()) {
    refuseTakenName(configOf(ctx.tenant).journalRules, name);
  }
  if (name !== undefined) rule.Name = name;
  if (p.has('Recipient')) {
    const recipient = p.nullableString('Recipient');
    rule.Recipient = recipient ? smtpAddress(recipient) : null;
  }
  const target = p.string('JournalEmailAddress');
  if (target !== undefined) rule.JournalEmailAddress = journalRecipient(ctx, target);
  const s = p.string('Scope');
  if (s !== undefined) rule.Scope = s as JournalRule['Scope'];
}

function render(ctx: CmdletContext, rule: JournalRule): OutputObject {
  const target = rule.JournalEmailAddress ? ctx.dir.get(rule.JournalEmailAddress) : undefined;
  return {
    Identity: rule.Name,
    Name: rule.Name,
    Guid: rule.Guid,
    Recipient: rule.Recipient,
    JournalEmailAddress: target?.PrimarySmtpAddress ?? null,
    Scope: rule.Scope,
    Enabled: rule.Enabled,
    WhenChanged: rule.WhenChanged,
  };
}

export const journalRuleCmdlets: CmdletDefinition[] = [
  defineCmdlet({
    name: 'New-JournalRule',
    readOnly: false,
    params: {
      Name: { kind: 'string', maxLength: 64 },
      JournalEmailAddress: { kind: 'string' },
      Recipient: { kind: 'string' },
      Scope: scope,
      Enabled: { kind: 'bool' },
    },
    mandatory: ['Name', 'JournalEmailAddress'],
    run(ctx, p) {
      const config = configOf(ctx.tenant);
      const name = p.string('Name')!;
      refuseTakenName(config.journalRules, name);
      const rule: JournalRule = {
        Guid: randomUUID(),
        Name: name,
        Recipient: null,
        JournalEmailAddress: null,
        Scope: 'Global',
        // Documented: "new journal rules are disabled unless the Enabled parameter is set to $true".
        Enabled: p.bool('Enabled') === true,
        WhenChanged: new Date().toISOString(),
      };
      apply(ctx, rule, p);
      config.journalRules.push(rule);
      return [render(ctx, rule)];
    },
  }),
  defineCmdlet({
    name: 'Get-JournalRule',
    readOnly: true,
    params: { Identity: { kind: 'string' } },
    run(ctx, p) {
      const identity = p.string('Identity');
      if (identity !== undefined) return [render(ctx, findJournalRule(ctx, identity))];
      return configOf(ctx.tenant).journalRules.map((r) => render(ctx, r));
    },
  }),
  defineCmdlet({
    name: 'Set-JournalRule',
    readOnly: false,
    params: {
      Identity: { kind: 'string' },
      Name: { kind: 'string', maxLength: 64 },
      JournalEmailAddress: { kind: 'string' },
      Recipient: { kind: 'string' },
      Scope: scope,
    },
    mandatory: ['Identity'],
    run(ctx, p) {
      const config = configOf(ctx.tenant);
      const stored = findJournalRule(ctx, p.string('Identity')!);
      const draft = structuredClone(stored);
      apply(ctx, draft, p);
      if (!changes(ctx, stored, draft, stored.Name)) return;
      draft.WhenChanged = new Date().toISOString();
      config.journalRules[config.journalRules.findIndex((r) => r.Guid === stored.Guid)] = draft;
    },
  }),
  defineCmdlet({
    name: 'Remove-JournalRule',
    readOnly: false,
    params: { Identity: { kind: 'string' } },
    mandatory: ['Identity'],
    run(ctx, p) {
      const config = configOf(ctx.tenant);
      const rule = findJournalRule(ctx, p.string('Identity')!);
      config.journalRules = config.journalRules.filter((r) => r.Guid !== rule.Guid);
    },
  }),
];
