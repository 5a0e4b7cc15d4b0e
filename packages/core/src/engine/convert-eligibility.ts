// Whether a group planned for recreate could be converted in place instead (issue 15): convert keeps the synced cloud
// object — its addresses never leave, so there is no outage at all — when validation would let the convert strategy
// through and the synced copy already holds every link the on-prem group has (the parity check convert runs,
// steps/parity-check.ts). Plan recommends it then; it never switches strategy on its own.
import type { MemberRecord } from '@dlmigrate/exo';
import type { MigrationOptions } from '../options.js';
import { parityFindings } from './parity.js';
import { resolveLinks } from './resolution.js';
import type { Snapshot } from './snapshot.js';
import { validate, type PagedMemberFindings } from './validation.js';
import type { Finding } from '../findings/finding.js';

/**
 * `paged`: what validate and parity find of members kept in pages (engine/member-pages.ts), none for a capture that
 * keeps its members in the snapshot.
 */
export function convertEligible(
  address: string,
  snapshot: Snapshot,
  syncedMembers: readonly MemberRecord[],
  options: MigrationOptions,
  paged: { readonly findings?: PagedMemberFindings; readonly notSynced?: readonly Finding[] } = {},
): boolean {
  const group = snapshot.onPrem.group;
  if (group === null || snapshot.cloud.group === null) return false;
  const asConvert: MigrationOptions = { ...options, strategy: 'convert' };
  if (validate(address, snapshot, asConvert, paged.findings).findings.some((f) => f.severity === 'blocking'))
    return false;
  const resolved = resolveLinks(group, snapshot.links, options.skipNestedGroupCheck);
  return parityFindings(snapshot, resolved, syncedMembers, paged.notSynced).length === 0;
}
