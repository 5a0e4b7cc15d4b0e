// Security identifiers of recipients, as Exchange shows them (TrusteeSidString, UserSid, Sid).
import { createHash } from 'node:crypto';
import type { Recipient } from './recipient.js';

/**
 * The cloud SID Exchange Online shows for a recipient (stable per object). Synced objects get one
 * too: their on-premises SID is a different value (Graph's onPremisesSecurityIdentifier).
 */
export function securityIdentifier(r: Recipient): string {
  const h = createHash('sha256').update(r.Guid).digest();
  return `S-1-5-21-${h.readUInt32BE(0)}-${h.readUInt32BE(4)}-${h.readUInt32BE(8)}-${1000 + (h.readUInt16BE(12) % 60000)}`;
}
