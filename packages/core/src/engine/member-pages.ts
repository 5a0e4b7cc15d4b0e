// The group's members kept, and read, a page at a time (issue 17). A 100,000-member group's members — what the
// directory says of each, and how Exchange Online knows each — were two parts of the snapshot, parsed whole and kept
// by every step (about 90 MiB of records and strings, V8's heap sized at three to four times that). Now capture writes
// them in pages of MEMBERS_PER_PAGE (each a write-once backup, so a resumed capture goes on from the last page), and the
// steps that need them walk the pages: validate, the parity check, stage, plan and verify. The rest of the snapshot —
// the group, its other links and their look-up — stays as it was; its `member` values stay with the group (page N is
// the Nth slice of them). Captures taken before keep their members in the snapshot: then there are no pages to walk
// (LinksCapture.membersApart is absent) and resolveLinks gives the members as it always did.
import type { AdGroup } from '@dlmigrate/ad';
import type { StateStore } from '@dlmigrate/state';
import { z } from 'zod';
import { CoreError } from '../errors/core-error.js';
import { parseStored } from '../stored/parse.js';
import { cloudObjectOf, resolveMembers, type ResolvedLink } from './resolution.js';
import type { MemberRecord } from '@dlmigrate/exo';
import type { Finding } from '../findings/finding.js';
import { listIdentities } from '../mapping/links.js';
import { membersNotSynced, syncedMemberKeys } from './parity.js';
import { linkProblems, nestedGroupsKept, type PagedMemberFindings } from './validation.js';
import {
  captureOnce,
  storeOnce,
  type CloudLookupCapture,
  type LinkedRecipient,
  type Snapshot,
} from './snapshot.js';
import { snapshotSchema } from './snapshot-schema.js';

/** Members per page: one page is one directory resolve and one bulk cloud look-up, and what a step holds at once. */
export const MEMBERS_PER_PAGE = 5_000;

/** The pages' summary, written once every page is: its presence says capture has all of them. */
export const MEMBER_PAGES = 'onprem-member-pages';

function pageKind(index: number): string {
  return `onprem-member-page-${index}`;
}

/** One page as stored: the records of the page's members and their cloud look-up. */
export interface MemberPage {
  /** What the directory says of the page's members (engine/snapshot.ts linkedRecipient). */
  readonly recipients: readonly LinkedRecipient[];
  /** The page's DNs no domain controller knows any more. */
  readonly missing: readonly string[];
  /** How Exchange Online knows the page's identities (the cloud look-up part, for these members). */
  readonly lookup: CloudLookupCapture;
}

interface MemberPages {
  readonly members: number;
  readonly perPage: number;
  readonly pages: number;
}

const memberPagesSchema = z.object({
  members: z.number().int().nonnegative(),
  perPage: z.number().int().positive(),
  pages: z.number().int().nonnegative(),
});

const memberPageSchema = z.looseObject({
  recipients: snapshotSchema.shape.links.shape.recipients,
  missing: z.array(z.string()),
  lookup: snapshotSchema.shape.cloudLookup,
});

/**
 * Writes the pages of these member DNs, each read by `read` (the directory's records and the cloud look-up of that
 * slice), skipping pages an earlier run stored, then the summary. Nothing but one page is held at a time.
 */
export async function captureMemberPages(
  state: StateStore,
  migrationId: string,
  dns: readonly string[],
  read: (dns: readonly string[], index: number) => Promise<MemberPage>,
): Promise<void> {
  await captureOnce<MemberPages>(state, migrationId, MEMBER_PAGES, async () => {
    const pages = Math.ceil(dns.length / MEMBERS_PER_PAGE);
    for (let index = 0; index < pages; index++) {
      const from = index * MEMBERS_PER_PAGE;
      await storeOnce(state, migrationId, pageKind(index), () =>
        read(dns.slice(from, from + MEMBERS_PER_PAGE), index),
      );
    }
    return { members: dns.length, perPage: MEMBERS_PER_PAGE, pages };
  });
}

/** One page of members resolved as resolveLinks resolves the other links, with the page's cloud look-up. */
export interface ResolvedMemberPage {
  readonly resolved: readonly ResolvedLink[];
  readonly lookup: CloudLookupCapture;
}

/**
 * Calls `visit` with each page of the group's members, in order, one page read and parsed at a time. Does nothing for
 * a capture that keeps its members in the snapshot (resolveLinks gives them).
 */
export async function forEachMemberPage(
  state: StateStore,
  migrationId: string,
  snapshot: Snapshot,
  skipNestedGroupCheck: boolean,
  visit: (page: ResolvedMemberPage) => void | Promise<void>,
): Promise<void> {
  const group = snapshot.onPrem.group;
  if (group === null || snapshot.links.membersApart !== true) return;
  const summary = await state.getBackup(migrationId, MEMBER_PAGES);
  if (summary === null)
    throw new CoreError(
      'CORE_CAPTURE_INCOMPLETE',
      `migration ${migrationId} has no "${MEMBER_PAGES}" backup: capture has not completed`,
    );
  const { members, perPage, pages } = parseStored(
    memberPagesSchema,
    summary.data,
    `the member pages of migration ${migrationId}`,
  );
  const dns = memberDns(group);
  if (members !== dns.length || pages !== Math.ceil(members / perPage))
    throw new CoreError(
      'STORED_DOCUMENT_INVALID',
      `the member pages of migration ${migrationId} in the state store are not valid (${pages} pages of ${members} members, the captured group has ${dns.length}); nothing was changed`,
    );
  for (let index = 0; index < pages; index++) {
    const backup = await state.getBackup(migrationId, pageKind(index));
    if (backup === null)
      throw new CoreError(
        'CORE_CAPTURE_INCOMPLETE',
        `migration ${migrationId} has no "${pageKind(index)}" backup: capture has not completed`,
      );
    const page = parseStored(
      memberPageSchema,
      backup.data,
      `page ${index + 1} of the members of migration ${migrationId}`,
    );
    const from = index * perPage;
    await visit({
      resolved: resolveMembers(group, dns.slice(from, from + perPage), page.recipients, skipNestedGroupCheck),
      lookup: page.lookup,
    });
  }
}

/** The group's `member` values as captured (the pages are their slices, in this order). */
export function memberDns(group: AdGroup): readonly string[] {
  return group.links.member ?? [];
}

/**
 * The identities of the paged members as stage writes them (mapping/links.ts listIdentities, each cloud object once
 * over all pages), `self` standing for the group itself. Empty for a capture that keeps its members in the snapshot.
 */
export async function pagedMemberIdentities(
  state: StateStore,
  migrationId: string,
  snapshot: Snapshot,
  skipNestedGroupCheck: boolean,
  self: string,
): Promise<string[]> {
  const seen = new Set<string>();
  const identities: string[] = [];
  await forEachMemberPage(state, migrationId, snapshot, skipNestedGroupCheck, ({ resolved, lookup }) => {
    const page = listIdentities(
      resolved.map((r) => r.resolution),
      self,
      cloudObjectOf(lookup),
      seen,
    );
    for (const identity of page) identities.push(identity);
  });
  return identities;
}

/** What validate finds of the paged members (engine/validation.ts PagedMemberFindings), page by page. */
export async function pagedMemberFindings(
  state: StateStore,
  migrationId: string,
  snapshot: Snapshot,
  skipNestedGroupCheck: boolean,
): Promise<PagedMemberFindings> {
  const problems: Finding[] = [];
  const nestedKept: Finding[] = [];
  await forEachMemberPage(state, migrationId, snapshot, skipNestedGroupCheck, ({ resolved, lookup }) => {
    for (const f of linkProblems(resolved, new Set(lookup.missing))) problems.push(f);
    for (const f of nestedGroupsKept(resolved)) nestedKept.push(f);
  });
  return { problems, nestedKept };
}

/** The paged members the synced cloud copy does not hold (engine/parity.ts), page by page. */
export async function pagedMembersNotSynced(
  state: StateStore,
  migrationId: string,
  snapshot: Snapshot,
  skipNestedGroupCheck: boolean,
  syncedMembers: readonly MemberRecord[],
): Promise<Finding[]> {
  if (snapshot.links.membersApart !== true) return [];
  const keys = syncedMemberKeys(syncedMembers);
  const findings: Finding[] = [];
  await forEachMemberPage(state, migrationId, snapshot, skipNestedGroupCheck, ({ resolved }) => {
    for (const f of membersNotSynced(resolved, keys)) findings.push(f);
  });
  return findings;
}
