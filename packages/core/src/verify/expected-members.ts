// The expected members of a capture that keeps them in pages (engine/member-pages.ts): walked a page at a time, so
// what verify and plan hold is the expected values, not every member's records and look-up at once (issue 17).
import type { StateStore } from '@dlmigrate/state';
import { forEachMemberPage } from '../engine/member-pages.js';
import type { Snapshot } from '../engine/snapshot.js';
import { addExpectedMemberPage, type MemberFacts, type PagedMembers } from './expected.js';
import type { ExpectedValue } from './values.js';

/** What expectedCloudGroup takes as `pagedMembers`: none for a capture that keeps its members in the snapshot. */
export async function pagedExpectedMembers(
  state: StateStore,
  migrationId: string,
  snapshot: Snapshot,
  skipNestedGroupCheck: boolean,
  facts: MemberFacts,
): Promise<ExpectedValue[]> {
  const members: PagedMembers = { values: [], at: new Map() };
  await forEachMemberPage(state, migrationId, snapshot, skipNestedGroupCheck, (page) =>
    addExpectedMemberPage(members, page, facts),
  );
  return members.values;
}
