// The members the new DL must hold, given one at a time to whoever checks (member-check.ts) or counts them (plan): a
// recreate's are the captured members, walked a page at a time (engine/member-pages.ts); a conversion's, and a
// restore's, are the synced group's members as captured. Nothing holds them all as values (issue 17).
import type { MemberRecord } from '@dlmigrate/exo';
import type { MemberPages, MemberReader } from '../engine/member-pages.js';
import {
  expectedMemberEntries,
  expectedSyncedMember,
  type ExpectedMember,
  type MemberFacts,
} from './expected.js';
import { DistinctMembers } from './member-check.js';

/** Recreate: each captured member, as stage wrote it, in order. */
export async function forEachCapturedMember(
  pages: MemberPages,
  facts: MemberFacts,
  visit: (member: ExpectedMember) => void,
): Promise<void> {
  await pages((page) => {
    for (const member of expectedMemberEntries(page, facts)) visit(member);
  });
}

/** Convert and restore: each member of the synced group as captured. */
export function forEachSyncedMember(
  syncedMembers: readonly MemberRecord[],
  label: string,
  visit: (member: ExpectedMember) => void,
): void {
  for (const m of syncedMembers) visit(expectedSyncedMember(m, label));
}

/** How many member values verify will check for a recreate (what plan promises). */
export function capturedMemberChecks(facts: MemberFacts): MemberReader<number> {
  const distinct = new DistinctMembers();
  return {
    read(page) {
      for (const member of expectedMemberEntries(page, facts)) distinct.add(member);
    },
    result: () => distinct.count,
  };
}

/** How many member values verify will check for a conversion (what plan promises). */
export function syncedMemberChecks(syncedMembers: readonly MemberRecord[], label: string): number {
  const distinct = new DistinctMembers();
  forEachSyncedMember(syncedMembers, label, (m) => distinct.add(m));
  return distinct.count;
}
