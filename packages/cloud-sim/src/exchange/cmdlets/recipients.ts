// Set-Mailbox, Set-MailUser, Set-MailContact: the settings the migration rewires on other recipients.
import { defineCmdlet, type CmdletDefinition } from '../cmdlet.js';
import { cmdletErrors } from '../errors.js';
import type { Recipient } from '../recipient.js';
import {
  addressParams,
  applySettings,
  assertWritable,
  commitSetting,
  deliveryParams,
  resolveAll,
} from '../settings.js';

/** Mailbox settings that live only in Exchange Online, so they stay writable on synced mailboxes. */
const cloudMasteredMailboxSettings = [
  'GrantSendOnBehalfTo',
  'ForwardingAddress',
  'ForwardingSmtpAddress',
  'DeliverToMailboxAndForward',
];

/** Set-MailUser and Set-MailContact: where mail to the recipient goes, kept as an "SMTP:" address. */
function setExternalEmailAddress(
  _ctx: Parameters<CmdletDefinition['run']>[0],
  r: Recipient,
  p: Parameters<CmdletDefinition['run']>[1],
): void {
  const external = p.string('ExternalEmailAddress');
  if (external !== undefined) r.ExternalEmailAddress = `SMTP:${external.replace(/^smtp:/i, '')}`;
}

function recipientSetter(
  name: string,
  accept: (r: Recipient) => boolean,
  extra: CmdletDefinition['params'],
  cloudMastered: string[],
  more?: (
    ctx: Parameters<CmdletDefinition['run']>[0],
    r: Recipient,
    p: Parameters<CmdletDefinition['run']>[1],
  ) => void,
): CmdletDefinition {
  return defineCmdlet({
    name,
    readOnly: false,
    params: { Identity: { kind: 'string' }, ...addressParams, ...deliveryParams, ...extra },
    mandatory: ['Identity'],
    run(ctx, p) {
      const stored = ctx.dir.resolve(p.string('Identity')!, accept);
      const r = structuredClone(stored);
      assertWritable(ctx, r, p, cloudMastered);
      applySettings(ctx, r, p, false);
      more?.(ctx, r, p);
      commitSetting(ctx, stored, r);
    },
  });
}

export const recipientCmdlets: CmdletDefinition[] = [
  recipientSetter(
    'Set-Mailbox',
    (r) => r.RecipientType === 'UserMailbox',
    {
      ForwardingAddress: { kind: 'string' },
      ForwardingSmtpAddress: { kind: 'string' },
      DeliverToMailboxAndForward: { kind: 'bool' },
    },
    cloudMasteredMailboxSettings,
    (ctx, r, p) => {
      const forwarding = p.nullableString('ForwardingAddress');
      if (forwarding !== undefined)
        r.ForwardingAddress = forwarding === null ? null : resolveAll(ctx, [forwarding])[0]!;
      const smtp = p.nullableString('ForwardingSmtpAddress');
      if (smtp !== undefined) {
        if (smtp !== null && !/^(smtp:)?[^@\s]+@[^@\s]+$/i.test(smtp))
          throw cmdletErrors.invalidValue('ForwardingSmtpAddress', `"${smtp}" isn't a valid SMTP address.`);
        r.ForwardingSmtpAddress = smtp === null ? null : `smtp:${smtp.replace(/^smtp:/i, '')}`;
      }
      const both = p.bool('DeliverToMailboxAndForward');
      if (both !== undefined) r.DeliverToMailboxAndForward = both;
    },
  ),
  recipientSetter(
    'Set-MailUser',
    (r) => r.RecipientTypeDetails === 'MailUser',
    { ExternalEmailAddress: { kind: 'string' } },
    [],
    setExternalEmailAddress,
  ),
  recipientSetter(
    'Set-MailContact',
    (r) => r.RecipientTypeDetails === 'MailContact',
    { ExternalEmailAddress: { kind: 'string' } },
    [],
    setExternalEmailAddress,
  ),
];
