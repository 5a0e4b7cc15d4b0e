// Names the engine gives things: the cloud name with prefix/suffix, the temporary DL, the retained group's `!` rename,
// and the routing contact. Exchange and AD limit names to 64 characters; each rule below says how it stays inside.

/** Exchange Online's limit for Name and Alias, and AD's for cn. */
export const MAX_NAME_LENGTH = 64;
/** rangeUpper of sAMAccountName in the AD schema. */
export const MAX_SAM_ACCOUNT_NAME_LENGTH = 256;
/** RFC 5321 limit of an address's local part. */
export const MAX_LOCAL_PART_LENGTH = 64;
/** The marker earlier migrations (DLConversionV2 included) stamp and recognise. */
export const MIGRATED_MARKER = 'MigratedByScript';
export const ROUTING_CONTACT_SUFFIX = `-${MIGRATED_MARKER}`;
export const RETAINED_SUFFIX = '!';

export interface NameAffixes {
  readonly prefix?: string | undefined;
  readonly suffix?: string | undefined;
}

export function withAffixes(name: string, affixes: NameAffixes): string {
  return `${affixes.prefix ?? ''}${name}${affixes.suffix ?? ''}`;
}

/** True when prefix + name + suffix fits Exchange Online's 64 characters (NAME_LENGTH_EXCEPTION otherwise). */
export function fitsNameLimit(name: string, affixes: NameAffixes): boolean {
  return withAffixes(name, affixes).length <= MAX_NAME_LENGTH;
}

/**
 * The temporary cloud DL's name and alias, derived only from the migration id so that a resumed run finds the DL it
 * created before the crash (DLConversionV2 used a timestamp plus a random number and could not).
 */
export function temporaryGroupName(migrationId: string): string {
  const token = migrationId.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (token === '') throw new Error(`migration id "${migrationId}" has no letters or digits to derive a name from`);
  return `dlmigrate-staging-${token}`.slice(0, MAX_NAME_LENGTH);
}

/** Appends `!` once (idempotent for resumed runs), cutting the name first if it would exceed the limit. */
export function retainedName(name: string, limit: number = MAX_NAME_LENGTH): string {
  if (name.endsWith(RETAINED_SUFFIX)) return name;
  return name.slice(0, limit - RETAINED_SUFFIX.length) + RETAINED_SUFFIX;
}

export function retainedSamAccountName(sam: string): string {
  return retainedName(sam, MAX_SAM_ACCOUNT_NAME_LENGTH);
}

/** `<base without spaces>-MigratedByScript`, the base cut so that the whole stays within `limit`. */
export function routingContactName(base: string, limit: number = MAX_NAME_LENGTH): string {
  const compact = base.replace(/\s+/g, '');
  return compact.slice(0, limit - ROUTING_CONTACT_SUFFIX.length) + ROUTING_CONTACT_SUFFIX;
}

/** The routing contact's own address: `<local>-MigratedByScript@<domain>`, local part within RFC 5321. */
export function routingContactAddress(groupMail: string): string {
  const { local, domain } = splitAddress(groupMail);
  return `${routingContactName(local, MAX_LOCAL_PART_LENGTH)}@${domain}`;
}

export function splitAddress(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) throw new Error(`"${address}" is not an e-mail address`);
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}
