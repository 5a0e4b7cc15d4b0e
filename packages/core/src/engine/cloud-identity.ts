// How the engine names a cloud group in cmdlets: its Entra object id when it has one (immutable, unique), else its
// Exchange Guid. Names and addresses change during the migration; these do not.
import type { RecipientRecord } from '@dlmigrate/exo';

export function cloudIdentity(
  recipient: Pick<RecipientRecord, 'externalDirectoryObjectId' | 'guid'>,
): string {
  return recipient.externalDirectoryObjectId || recipient.guid;
}
