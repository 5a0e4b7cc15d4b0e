// Whether a group planned for recreate could be converted in place instead (issue 15): convert keeps the synced cloud
// object — its addresses never leave, so there is no outage at all — when validation would let the convert strategy
// through and the synced copy already holds every link the on-prem group has (the parity check convert runs,
// steps/parity-check.ts). Plan recommends it then; it never switches strategy on its own.
import type { MigrationOptions } from '../options.js';
import { parityFindings } from './parity.js';
import { resolveLinks } from './resolution.js';
import type { Snapshot } from './snapshot.js';
import { validate, type MemberFindings } from './validation.js';
import type { Finding } from '../findings/finding.js';

/**
 * `members`: what validate and parity find of the members (engine/member-pages.ts memberFindings and
 * membersNotSyncedOf, read a page at a time).
 */
export function convertEligible(
  address: string,
  snapshot: Snapshot,
  options: MigrationOptions,
  members: { readonly findings: MemberFindings; readonly notSynced: readonly Finding[] },
): boolean {
  const group = snapshot.onPrem.group;
  if (group === null || snapshot.cloud.group === null) return false;
  const asConvert: MigrationOptions = { ...options, strategy: 'convert' };
  if (
    validate(address, snapshot, asConvert, members.findings).findings.some((f) => f.severity === 'blocking')
  )
    return false;
  const resolved = resolveLinks(group, snapshot.links, options.skipNestedGroupCheck);
  return parityFindings(snapshot, resolved, members.notSynced).length === 0;
}
