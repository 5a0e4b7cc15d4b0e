// Parity between the on-prem group and its synced cloud copy (in-place conversion, research peers §1.4): conversion
// freezes the cloud copy, so every member and every restriction/owner/moderator the directory holds must already be
// there. Members compare by Entra object id, lists by recipient name (Exchange renders link properties as names).
import { finding, type Finding } from '../findings/finding.js';
import { cloudObjectId, type CLOUD_PARAMETER, type LinkList } from '../mapping/links.js';
import type { DistributionGroupRecord, MemberRecord } from '@dlmigrate/exo';
import type { ResolvedLink } from './resolution.js';
import type { Snapshot } from './snapshot.js';

/** The DistributionGroupRecord field that holds each list (every one a readonly string[]), so `dl[LIST_PROPERTY[list]]` is typed. */
export const LIST_PROPERTY = {
  managedBy: 'managedBy',
  moderatedBy: 'moderatedBy',
  acceptFrom: 'acceptMessagesOnlyFromSendersOrMembers',
  rejectFrom: 'rejectMessagesFromSendersOrMembers',
  bypassModeration: 'bypassModerationFromSendersOrMembers',
  sendOnBehalf: 'grantSendOnBehalfTo',
} as const satisfies Readonly<Record<keyof typeof CLOUD_PARAMETER, keyof DistributionGroupRecord>>;

/** Every form a synced member can be named by (id, address, Guid), lower-cased: what parity looks members up in. */
export function syncedMemberKeys(syncedMembers: readonly MemberRecord[]): Set<string> {
  const keys = new Set<string>();
  for (const m of syncedMembers)
    for (const key of [m.externalDirectoryObjectId, m.primarySmtpAddress, m.guid])
      keys.add(key.toLowerCase());
  return keys;
}

/** The on-prem members among `resolved` that the synced cloud copy (its member keys) does not hold. */
export function membersNotSynced(
  resolved: readonly ResolvedLink[],
  cloudMembers: ReadonlySet<string>,
): Finding[] {
  const findings: Finding[] = [];
  for (const r of resolved) {
    if (r.list !== 'members') continue;
    if (r.resolution.kind !== 'recipient' && r.resolution.kind !== 'user') continue;
    // The object itself counts as well as what it stands for: a routing contact of an earlier migration is synced
    // as a mail contact, so the cloud copy holds the contact, not the DL it routes to.
    const forms = [
      r.resolution.identity,
      r.object?.mail,
      r.object?.lookupAddress,
      cloudObjectId(r.object?.externalDirectoryObjectId),
    ];
    if (!forms.some((f) => f !== undefined && cloudMembers.has(f.toLowerCase())))
      findings.push(
        finding(
          'OFFICE_365_MEMBER_NOT_FOUND_EXCEPTION',
          r.resolution.identity,
          `${r.resolution.dn} is a member on-premises but not in Exchange Online`,
          'member',
        ),
      );
  }
  return findings;
}

/**
 * What the synced cloud copy lacks of the on-prem group: the members it does not hold (`membersMissing`,
 * engine/member-pages.ts membersNotSyncedOf, read a page at a time) and the entries of the other lists.
 */
export function parityFindings(
  snapshot: Snapshot,
  resolved: readonly ResolvedLink[],
  membersMissing: readonly Finding[],
): Finding[] {
  const cloud = snapshot.cloud.group;
  if (cloud === null) return [];
  const findings: Finding[] = [...membersMissing];
  for (const r of resolved) {
    if (r.resolution.kind !== 'recipient' && r.resolution.kind !== 'user') continue;
    const property = LIST_PROPERTY[r.list as Exclude<LinkList, 'members' | 'sendAs'>];
    if (property === undefined || r.object === undefined) continue;
    // `?? []`: a snapshot captured by an older version may lack a list (snapshot-schema.ts does not check records).
    const values: readonly string[] = cloud[property] ?? [];
    const names = new Set(values.map((v) => v.toLowerCase()));
    if (!names.has(r.object.name.toLowerCase()) && !names.has(r.resolution.identity.toLowerCase())) {
      findings.push(
        finding(
          'OFFICE_365_MEMBER_NOT_FOUND_EXCEPTION',
          r.resolution.identity,
          `${r.object.dn} is in ${r.attribute} on-premises but not in the cloud ${property}`,
          r.attribute,
        ),
      );
    }
  }
  return findings;
}
