// Names the engine chooses for cloud objects: the final name with prefix/suffix, and the temporary DL. The on-prem
// names (the retained group's `!`, the routing contact's `-MigratedByScript`) are @dlmigrate/ad's (naming.ts).
import { CoreError } from '../errors/core-error.js';

/** Exchange Online's limit for Name and Alias. */
export const MAX_NAME_LENGTH = 64;

export interface NameAffixes {
  readonly prefix?: string | undefined;
  readonly suffix?: string | undefined;
}

export function withAffixes(name: string, affixes: NameAffixes): string {
  return `${affixes.prefix ?? ''}${name}${affixes.suffix ?? ''}`;
}

/** True when prefix + name + suffix fits Exchange Online's 64 characters (NAME_LENGTH_EXCEPTION otherwise). */
export function fitsNameLimit(name: string, affixes: NameAffixes): boolean {
  return Array.from(withAffixes(name, affixes)).length <= MAX_NAME_LENGTH;
}

/**
 * The temporary cloud DL's name and alias, derived only from the migration id so that a resumed run finds the DL it
 * created before the crash (DLConversionV2 used a timestamp plus a random number and could not).
 */
/** Every temporary (staging) DL's name starts so: a batch finds the ones created after its tenant-wide reads. */
export const TEMPORARY_GROUP_PREFIX = 'dlmigrate-staging-';

export function temporaryGroupName(migrationId: string): string {
  const token = migrationId.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (token === '')
    throw new CoreError(
      'CORE_INVALID_ARGUMENT',
      `migration id "${migrationId}" has no letters or digits to derive a name from`,
    );
  return `${TEMPORARY_GROUP_PREFIX}${token}`.slice(0, MAX_NAME_LENGTH);
}
