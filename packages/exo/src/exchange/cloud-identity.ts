// How a cloud recipient is named in cmdlets once it has been read: its Entra object id when it has one (immutable,
// unique), else its Exchange Guid. Names and addresses change during a migration; these do not. Written once here
// (issue #18): exo addresses members and groups by it, and core names every cloud object it acts on by it.
import type { RecipientRecord } from './records.js';

export function cloudIdentity(
  recipient: Pick<RecipientRecord, 'externalDirectoryObjectId' | 'guid'>,
): string {
  return recipient.externalDirectoryObjectId || recipient.guid;
}
