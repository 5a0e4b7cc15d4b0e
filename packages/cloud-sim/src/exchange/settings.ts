// Recipient settings shared by the Set-* cmdlets (and New-DistributionGroup), applied with the
// checks Exchange makes: synced objects are read-only, addresses are unique and in accepted
// domains, EmailAddresses and PrimarySmtpAddress don't mix, owners are security principals.
import type { CmdletContext } from './cmdlet.js';
import { cmdletErrors, refuseTakenName, type CmdletError } from './errors.js';
import { applyMulti, type BoundParameters, type MultiValue, type ParamSpec } from './params.js';
import {
  customAttributeNames,
  extensionCustomAttributeNames,
  isGroup,
  isRecipient,
  isSecurityPrincipal,
  type LinkProperty,
  type Recipient,
} from './recipient.js';

const multi = { kind: 'multi' } as const;
const bool = { kind: 'bool' } as const;

export const addressParams: ParamSpec = {
  Alias: { kind: 'string', maxLength: 64 },
  DisplayName: { kind: 'string', maxLength: 256 },
  Name: { kind: 'string', maxLength: 64 },
  SimpleDisplayName: { kind: 'string', maxLength: 256 },
  PrimarySmtpAddress: { kind: 'string' },
  WindowsEmailAddress: { kind: 'string' },
  EmailAddresses: multi,
};

export const deliveryParams: ParamSpec = {
  HiddenFromAddressListsEnabled: bool,
  RequireSenderAuthenticationEnabled: bool,
  ModerationEnabled: bool,
  SendModerationNotifications: { kind: 'enum', values: ['Never', 'Internal', 'Always'] },
  ModeratedBy: multi,
  AcceptMessagesOnlyFrom: multi,
  AcceptMessagesOnlyFromDLMembers: multi,
  AcceptMessagesOnlyFromSendersOrMembers: multi,
  RejectMessagesFrom: multi,
  RejectMessagesFromDLMembers: multi,
  RejectMessagesFromSendersOrMembers: multi,
  BypassModerationFromSendersOrMembers: multi,
  GrantSendOnBehalfTo: multi,
  MailTip: { kind: 'string', maxLength: 175 },
  MailTipTranslations: multi,
  ...Object.fromEntries(customAttributeNames.map((n) => [n, { kind: 'string', maxLength: 1024 } as const])),
  ...Object.fromEntries(
    extensionCustomAttributeNames.map((n) => [n, { kind: 'multi', maxValues: 1300 } as const]),
  ),
};

export const groupParams: ParamSpec = {
  ManagedBy: multi,
  MemberJoinRestriction: { kind: 'enum', values: ['Open', 'Closed', 'ApprovalRequired'] },
  MemberDepartRestriction: { kind: 'enum', values: ['Open', 'Closed'] },
  ReportToManagerEnabled: bool,
  ReportToOriginatorEnabled: bool,
  SendOofMessageToOriginatorEnabled: bool,
  BypassNestedModerationEnabled: bool,
  BypassSecurityGroupManagerCheck: bool,
  IgnoreNamingPolicy: bool,
};

/** Parameters that only steer the cmdlet, never change the object. */
const controlParams = new Set([
  'Identity',
  'Confirm',
  'ErrorAction',
  'WarningAction',
  'Verbose',
  'Debug',
  'BypassSecurityGroupManagerCheck',
  'IgnoreNamingPolicy',
  'Force',
]);

/** Refuses any change to a directory-synced object except the listed cloud-mastered settings. */
export function assertWritable(
  ctx: CmdletContext,
  r: Recipient,
  p: BoundParameters,
  cloudMastered: string[] = [],
): void {
  if (!r.IsDirSynced) return;
  const changed = p.names().find((n) => !controlParams.has(n) && !cloudMastered.includes(n));
  if (changed) throw cmdletErrors.dirSynced(ctx.cmdlet, changed, r.Name);
}

/** Apps are never group owners: every group change needs -BypassSecurityGroupManagerCheck. */
export function assertManagerCheckBypassed(p: BoundParameters): void {
  if (p.bool('BypassSecurityGroupManagerCheck') !== true) throw cmdletErrors.notGroupManager();
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

export function assertAcceptedDomain(ctx: CmdletContext, address: string, parameter: string): void {
  const domain = domainOf(address);
  if (!ctx.tenant.acceptedDomains.some((d) => d.DomainName.toLowerCase() === domain))
    throw cmdletErrors.invalidValue(
      parameter,
      `The domain "${domain}" of the address "${address}" isn't an accepted domain of your organization.`,
    );
}

function assertSmtp(address: string, parameter: string): void {
  if (!/^[^@\s:]+@[^@\s]+\.[^@\s]+$/.test(address))
    throw cmdletErrors.invalidValue(
      parameter,
      `The email address "${address}" isn't correct. Please use this format: user name, the @ sign, followed by the domain name.`,
    );
}

/** Normalises EmailAddresses so exactly one "SMTP:" primary exists. */
function normaliseAddresses(list: string[], parameter: string): string[] {
  const out = list.map((a) => {
    const colon = a.indexOf(':');
    if (colon < 0 || !/^[a-z0-9]+$/i.test(a.slice(0, colon))) return `smtp:${a}`;
    return a;
  });
  for (const a of out) if (/^smtp:/i.test(a)) assertSmtp(a.slice(5), parameter);
  const primaries = out.filter((a) => a.startsWith('SMTP:'));
  if (primaries.length > 1)
    throw cmdletErrors.invalidValue(
      parameter,
      'The email address list contains more than one primary SMTP address.',
    );
  return out;
}

/** Changes the primary SMTP address, keeping the old one as a secondary. */
function setPrimary(r: Recipient, address: string): void {
  const kept = r.EmailAddresses.filter((a) => !sameAddress(a.replace(/^smtp:/i, ''), address)).map((a) =>
    a.startsWith('SMTP:') ? `smtp:${a.slice(5)}` : a,
  );
  r.EmailAddresses = [`SMTP:${address}`, ...kept];
  r.PrimarySmtpAddress = address;
  r.WindowsEmailAddress = address;
}

function applyAddressSettings(ctx: CmdletContext, r: Recipient, p: BoundParameters): void {
  const emails = p.multi('EmailAddresses');
  const primary = p.string('PrimarySmtpAddress');
  if (emails && primary !== undefined)
    throw cmdletErrors.conflictingParameters('EmailAddresses', 'PrimarySmtpAddress');
  const name = p.string('Name');
  if (name !== undefined && name !== r.Name) {
    refuseTakenName(
      ctx.dir.candidates(name).filter((o) => o.Guid !== r.Guid),
      name,
    );
    r.Name = name;
  }
  const alias = p.string('Alias');
  if (alias !== undefined) {
    // Letters, digits, the listed symbols, periods between other characters and "Unicode characters
    // U+00A1 to U+00FF" (Set-DistributionGroup.md, Alias).
    if (
      !/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.\u00A1-\u00FF]+$/.test(alias) ||
      alias.startsWith('.') ||
      alias.endsWith('.')
    )
      throw cmdletErrors.invalidValue(
        'Alias',
        `The alias "${alias}" contains characters that aren't valid in an alias.`,
      );
    r.Alias = alias;
  }
  const displayName = p.string('DisplayName');
  if (displayName !== undefined) r.DisplayName = displayName;
  const simple = p.string('SimpleDisplayName');
  if (simple !== undefined) r.SimpleDisplayName = simple;
  if (emails) {
    // An added "SMTP:" address becomes the primary; the old primary stays as a secondary.
    const addedPrimary = emails.add.find((a) => a.startsWith('SMTP:'));
    const base = addedPrimary
      ? r.EmailAddresses.map((a) => (a.startsWith('SMTP:') ? `smtp:${a.slice(5)}` : a))
      : r.EmailAddresses;
    const withoutDuplicate = addedPrimary ? base.filter((a) => !proxyEquals(a, addedPrimary)) : base;
    let next = applyMulti(
      withoutDuplicate,
      emails,
      (a, b) => a.toLowerCase() === b.toLowerCase() || proxyEquals(a, b),
    );
    next = normaliseAddresses(next, 'EmailAddresses');
    const added = next.filter((a) => !r.EmailAddresses.some((e) => proxyEquals(e, a)));
    for (const a of added) if (/^smtp:/i.test(a)) assertAcceptedDomain(ctx, a.slice(5), 'EmailAddresses');
    ctx.dir.assertAddressesFree(added, r.Guid);
    let primaryAddress = next.find((a) => a.startsWith('SMTP:'));
    if (!primaryAddress) {
      // Removing the primary promotes the first remaining SMTP address, as Exchange does.
      const first = next.findIndex((a) => /^smtp:/i.test(a));
      if (first < 0)
        throw cmdletErrors.invalidValue('EmailAddresses', 'A recipient must have a primary SMTP address.');
      next[first] = `SMTP:${next[first]!.slice(5)}`;
      primaryAddress = next[first]!;
    }
    r.EmailAddresses = next;
    r.PrimarySmtpAddress = primaryAddress.slice(5);
    r.WindowsEmailAddress = r.PrimarySmtpAddress;
  }
  if (primary !== undefined) {
    assertSmtp(primary, 'PrimarySmtpAddress');
    assertAcceptedDomain(ctx, primary, 'PrimarySmtpAddress');
    ctx.dir.assertAddressesFree([primary], r.Guid);
    setPrimary(r, primary);
  }
  const windows = p.string('WindowsEmailAddress');
  if (windows !== undefined && primary === undefined && !emails) {
    assertSmtp(windows, 'WindowsEmailAddress');
    assertAcceptedDomain(ctx, windows, 'WindowsEmailAddress');
    ctx.dir.assertAddressesFree([windows], r.Guid);
    setPrimary(r, windows);
  }
}

function proxyEquals(a: string, b: string): boolean {
  const strip = (s: string) => (/^smtp:/i.test(s) ? s.slice(5) : s).toLowerCase();
  const isSmtp = (s: string) => /^smtp:/i.test(s) || !s.includes(':') || !/^[a-z0-9]+:/i.test(s);
  if (isSmtp(a) && isSmtp(b)) return strip(a) === strip(b);
  return a.toLowerCase() === b.toLowerCase();
}

/** Resolves every identity of a link list to recipient Guids (not-found errors name the value). */
export function resolveAll(ctx: CmdletContext, identities: string[]): string[] {
  return identities.map((i) => ctx.dir.resolve(i, isRecipient, cmdletErrors.recipientNotFound).Guid);
}

function applyLink(
  ctx: CmdletContext,
  r: Recipient,
  prop: LinkProperty,
  change: MultiValue,
  filter?: (x: Recipient) => boolean,
  refuse?: (x: Recipient) => CmdletError | undefined,
): void {
  const resolved: MultiValue = {
    replace: change.replace ? resolveAll(ctx, change.replace) : undefined,
    add: resolveAll(ctx, change.add),
    remove: resolveAll(ctx, change.remove),
  };
  if (filter) {
    // Adding/removing through AcceptMessagesOnlyFrom vs …DLMembers: the value must be of the right kind.
    for (const g of [...(resolved.replace ?? []), ...resolved.add]) {
      const target = ctx.dir.get(g)!;
      if (!filter(target))
        throw cmdletErrors.invalidValue(prop, `"${target.Name}" isn't a valid recipient for this parameter.`);
    }
  }
  if (refuse) {
    for (const g of [...(resolved.replace ?? []), ...resolved.add]) {
      const refusal = refuse(ctx.dir.get(g)!);
      if (refusal) throw refusal;
    }
  }
  r[prop] = applyMulti(r[prop], resolved, (a, b) => a === b);
}

/** AcceptMessagesOnlyFrom/…DLMembers/…SendersOrMembers (and the Reject trio) on one stored list. */
function applyRestriction(
  ctx: CmdletContext,
  r: Recipient,
  p: BoundParameters,
  base: 'AcceptMessagesOnlyFrom' | 'RejectMessagesFrom',
): void {
  const stored =
    base === 'AcceptMessagesOnlyFrom'
      ? 'AcceptMessagesOnlyFromSendersOrMembers'
      : 'RejectMessagesFromSendersOrMembers';
  const senders = p.multi(base);
  const groups = p.multi(`${base}DLMembers`);
  const both = p.multi(stored);
  if (both && (senders || groups))
    throw cmdletErrors.conflictingParameters(stored, senders ? base : `${base}DLMembers`);
  if (both) applyLink(ctx, r, stored, both);
  if (senders) {
    if (senders.replace) {
      // Overwriting the senders keeps the group entries.
      const keep = r[stored].filter((g) => {
        const x = ctx.dir.get(g);
        return x !== undefined && isGroup(x);
      });
      r[stored] = keep;
      applyLink(ctx, r, stored, { add: senders.replace, remove: [] }, (x) => !isGroup(x));
    } else applyLink(ctx, r, stored, senders, (x) => !isGroup(x));
  }
  if (groups) {
    if (groups.replace) {
      const keep = r[stored].filter((g) => {
        const x = ctx.dir.get(g);
        return x !== undefined && !isGroup(x);
      });
      r[stored] = keep;
      applyLink(ctx, r, stored, { add: groups.replace, remove: [] }, isGroup);
    } else applyLink(ctx, r, stored, groups, isGroup);
  }
}

function applyDeliverySettings(ctx: CmdletContext, r: Recipient, p: BoundParameters): void {
  for (const name of [
    'HiddenFromAddressListsEnabled',
    'RequireSenderAuthenticationEnabled',
    'ModerationEnabled',
  ] as const) {
    const v = p.bool(name);
    if (v !== undefined) r[name] = v;
  }
  const notifications = p.string('SendModerationNotifications');
  if (notifications !== undefined)
    r.SendModerationNotifications = notifications as Recipient['SendModerationNotifications'];
  applyRestriction(ctx, r, p, 'AcceptMessagesOnlyFrom');
  applyRestriction(ctx, r, p, 'RejectMessagesFrom');
  const bypass = p.multi('BypassModerationFromSendersOrMembers');
  if (bypass) applyLink(ctx, r, 'BypassModerationFromSendersOrMembers', bypass);
  // "A moderator must be a mailbox, mail user, or mail contact" and the send-on-behalf sender "must
  // [be] a mailbox, mail user or mail-enabled security group" (Set-DistributionGroup.md).
  const moderators = p.multi('ModeratedBy');
  if (moderators)
    applyLink(ctx, r, 'ModeratedBy', moderators, undefined, (x) =>
      ['UserMailbox', 'MailUser', 'MailContact'].includes(x.RecipientType)
        ? undefined
        : cmdletErrors.wrongRecipientKind(x.Name, 'ModeratedBy', 'a mailbox, mail user or mail contact'),
    );
  const onBehalf = p.multi('GrantSendOnBehalfTo');
  if (onBehalf)
    applyLink(ctx, r, 'GrantSendOnBehalfTo', onBehalf, undefined, (x) =>
      isSecurityPrincipal(x)
        ? undefined
        : cmdletErrors.wrongRecipientKind(
            x.Name,
            'GrantSendOnBehalfTo',
            'a mailbox, mail user or mail-enabled security group',
          ),
    );
  if (r.ModerationEnabled && r.ModeratedBy.length === 0 && !isGroup(r))
    throw cmdletErrors.invalidValue(
      'ModeratedBy',
      'You must specify at least one moderator when moderation is enabled.',
    );
  // MailTip and the "default:" entry of MailTipTranslations are one value: "If you modify the MailTip
  // text, the default value is automatically updated in the MailTipTranslations property, and
  // vice-versa" (Set-DistributionGroup.md, MailTip).
  const translations = p.multi('MailTipTranslations');
  if (translations) {
    r.MailTipTranslations = applyMulti(r.MailTipTranslations, translations, (a, b) => a === b);
    r.MailTip = mailTipHtml(defaultTranslation(r.MailTipTranslations));
  }
  const tip = p.nullableString('MailTip');
  if (tip !== undefined) r.MailTip = mailTipHtml(tip);
  if (translations || tip !== undefined) {
    const others = r.MailTipTranslations.filter((t) => !/^default:/i.test(t));
    r.MailTipTranslations = r.MailTip === null ? others : [`default:${r.MailTip}`, ...others];
  }
  for (const n of customAttributeNames) {
    const v = p.nullableString(n);
    if (v !== undefined || p.has(n)) r.custom[n] = v ?? null;
  }
  for (const n of extensionCustomAttributeNames) {
    const change = p.multi(n);
    if (change) r.extension[n] = applyMulti(r.extension[n] ?? [], change, (a, b) => a === b);
  }
}

/** The text of the "default:" MailTip translation, if any. */
function defaultTranslation(translations: string[]): string | null {
  const entry = translations.find((t) => /^default:/i.test(t));
  return entry === undefined ? null : entry.slice('default:'.length);
}

/** "HTML tags are automatically added to the text" (Set-DistributionGroup.md, MailTip). */
export function mailTipHtml(text: string | null): string | null {
  if (text === null || text === '') return null;
  return /^<html>/i.test(text) ? text : `<html><body>${text}</body></html>`;
}

function applyGroupSettings(ctx: CmdletContext, r: Recipient, p: BoundParameters): void {
  const managedBy = p.multi('ManagedBy');
  if (managedBy) {
    applyLink(ctx, r, 'ManagedBy', managedBy);
    for (const g of r.ManagedBy) {
      const owner = ctx.dir.get(g)!;
      if (!isSecurityPrincipal(owner)) throw cmdletErrors.notSecurityPrincipal(owner.Name, 'ManagedBy');
    }
    if (r.ManagedBy.length === 0) throw cmdletErrors.ownerRequired();
  }
  for (const name of [
    'ReportToManagerEnabled',
    'ReportToOriginatorEnabled',
    'SendOofMessageToOriginatorEnabled',
    'BypassNestedModerationEnabled',
  ] as const) {
    const v = p.bool(name);
    if (v !== undefined) r[name] = v;
  }
  const join = p.string('MemberJoinRestriction');
  if (join !== undefined) r.MemberJoinRestriction = join as Recipient['MemberJoinRestriction'];
  const depart = p.string('MemberDepartRestriction');
  if (depart !== undefined) r.MemberDepartRestriction = depart as Recipient['MemberDepartRestriction'];
  if (
    r.RecipientType === 'MailUniversalSecurityGroup' &&
    (r.MemberJoinRestriction === 'Open' || r.MemberDepartRestriction === 'Open')
  )
    throw cmdletErrors.invalidValue(
      'MemberJoinRestriction',
      'Security groups must have MemberJoinRestriction and MemberDepartRestriction set to Closed or ApprovalRequired.',
    );
}

/** Applies every Set-* setting in the usual order; the caller has resolved and type-checked r. */
export function applySettings(
  ctx: CmdletContext,
  r: Recipient,
  p: BoundParameters,
  withGroup: boolean,
): void {
  applyAddressSettings(ctx, r, p);
  applyDeliverySettings(ctx, r, p);
  if (withGroup) applyGroupSettings(ctx, r, p);
}

/**
 * Stores a Set-* draft. When nothing changed, Exchange succeeds with a warning instead (clients
 * such as CIPP look for this text to detect no-op writes).
 */
export function commitSetting(ctx: CmdletContext, before: Recipient, draft: Recipient): void {
  if (JSON.stringify(before) === JSON.stringify(draft)) {
    ctx.warnings.push(
      `The command completed successfully but no settings of '${ctx.dir.canonicalPath(before)}' have been modified.`,
    );
    return;
  }
  ctx.dir.touch(draft);
  ctx.dir.put(draft);
}
