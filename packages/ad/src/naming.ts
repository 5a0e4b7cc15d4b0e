// Name rules (docs/reference-behaviour.md#names-and-their-limits): CN/name ≤ 64, sAMAccountName ≤ 256 (schema
// rangeUpper; DLConversionV2 never checked it), the "!" suffix of a retained group and the
// "-MigratedByScript" suffix of routing contacts.
import { AdError } from './errors.js';
import { ROUTING_SUFFIX } from './recipient.js';

const MAX_CN = 64;
const MAX_SAM_ACCOUNT_NAME = 256;
/** Characters AD refuses in sAMAccountName. */
const SAM_FORBIDDEN = /["/\\[\]:;|=,+*?<>]/;

/** Append `suffix`, cutting `value` first so the result fits in `max` characters (code points). */
export function withSuffix(value: string, suffix: string, max: number): string {
  const chars = Array.from(value);
  const room = max - Array.from(suffix).length;
  if (room <= 0)
    throw new AdError(
      'AD_NAME_TOO_LONG',
      `The suffix ${JSON.stringify(suffix)} alone exceeds ${max} characters.`,
    );
  return chars.slice(0, room).join('') + suffix;
}

/** Name given to a retained (mail-disabled) group: `<name>!`, a 64-character name cut to 63 first. */
export function retainedName(name: string): string {
  return withSuffix(name, '!', MAX_CN);
}

export function retainedSamAccountName(sam: string): string {
  return withSuffix(sam, '!', MAX_SAM_ACCOUNT_NAME);
}

export function assertCn(cn: string): void {
  if (cn.trim() === '') throw new AdError('AD_INVALID_OPTIONS', 'A CN cannot be empty.');
  if (Array.from(cn).length > MAX_CN)
    throw new AdError(
      'AD_NAME_TOO_LONG',
      `CN ${JSON.stringify(cn)} has ${Array.from(cn).length} characters; AD allows ${MAX_CN}.`,
    );
}

export function assertSamAccountName(sam: string): void {
  if (sam.trim() === '') throw new AdError('AD_INVALID_OPTIONS', 'sAMAccountName cannot be empty.');
  if (Array.from(sam).length > MAX_SAM_ACCOUNT_NAME)
    throw new AdError(
      'AD_NAME_TOO_LONG',
      `sAMAccountName ${JSON.stringify(sam)} is longer than ${MAX_SAM_ACCOUNT_NAME} characters.`,
    );
  if (SAM_FORBIDDEN.test(sam))
    throw new AdError(
      'AD_INVALID_OPTIONS',
      `sAMAccountName ${JSON.stringify(sam)} contains a character AD refuses (" / \\ [ ] : ; | = , + * ? < >).`,
    );
}

export interface RoutingContactNames {
  cn: string;
  displayName: string;
  mailNickname: string;
  mail: string;
}

/**
 * Names of the routing contact for a group (phase 17): spaces removed, `-MigratedByScript`
 * appended; a CN that would exceed 64 characters is cut so the total stays within 64.
 */
export function routingContactNames(
  group: { cn: string; displayName?: string; mailNickname?: string; mail: string },
  suffix = ROUTING_SUFFIX,
): RoutingContactNames {
  const at = group.mail.lastIndexOf('@');
  if (at <= 0)
    throw new AdError('AD_INVALID_OPTIONS', `${JSON.stringify(group.mail)} is not an SMTP address.`);
  const compact = (s: string) => s.replace(/\s+/g, '');
  return {
    cn: withSuffix(compact(group.cn), suffix, MAX_CN),
    displayName: withSuffix(compact(group.displayName ?? group.cn), suffix, 256),
    mailNickname: withSuffix(compact(group.mailNickname ?? group.cn), suffix, MAX_CN),
    mail: `${group.mail.slice(0, at)}${suffix}${group.mail.slice(at)}`,
  };
}

const SMTP = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** Normalise user input to a bare SMTP address (an "smtp:" prefix is accepted) or fail clearly. */
export function normalizeSmtpAddress(input: string): string {
  const bare = input.trim().replace(/^smtp:/i, '');
  if (!SMTP.test(bare))
    throw new AdError(
      'AD_INVALID_OPTIONS',
      `${JSON.stringify(input)} is not an SMTP address (expected name@domain).`,
    );
  return bare;
}
