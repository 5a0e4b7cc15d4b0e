// The group's members kept, and read, a page at a time (issue 17). A 100,000-member group's members — what the
// directory says of each, and how Exchange Online knows each — were two parts of the snapshot, parsed whole and kept
// by every step (about 90 MiB of records and strings, V8's heap sized at three to four times that). Now capture writes
// them in pages of MEMBERS_PER_PAGE (each a write-once backup, so a resumed capture goes on from the last page), and
// every step that needs them walks the pages through memberPages: validate, the parity check, stage, plan and
// verify. The rest of the snapshot — the group, its other links and their look-up — stays as it was; its `member`
// values stay with the group (page N is the Nth slice of them). A capture taken before the pages keeps its members
// with the other links (LinksCapture.membersApart is absent): memberPages serves them as one page, so no step
// has a second way to the members (resolveLinks never gives them).
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
import { linkProblems, nestedGroupsKept, type MemberFindings } from './validation.js';
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

/** The pages' summary as stored. */
interface PagesSummary {
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
  await captureOnce<PagesSummary>(state, migrationId, MEMBER_PAGES, async () => {
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

/** Walks the group's members: calls `visit` with each page, in order, one page read and parsed at a time. */
export type MemberPages = (visit: (page: ResolvedMemberPage) => void | Promise<void>) => Promise<void>;

/** The group's members as its capture keeps them: in pages of their own, or (taken before) with the other links. */
export function memberPages(
  state: StateStore,
  migrationId: string,
  snapshot: Snapshot,
  skipNestedGroupCheck: boolean,
): MemberPages {
  if (snapshot.links.membersApart !== true) return snapshotMemberPages(snapshot, skipNestedGroupCheck);
  return (visit) => walkStoredPages(state, migrationId, snapshot, skipNestedGroupCheck, visit);
}

/** A capture that keeps its members with the other links: one page, its members against its records and look-up. */
function snapshotMemberPages(snapshot: Snapshot, skipNestedGroupCheck: boolean): MemberPages {
  return async (visit) => {
    const page = snapshotMemberPage(snapshot, skipNestedGroupCheck);
    if (page !== undefined) await visit(page);
  };
}

/** The one page of a capture that keeps its members with the other links (none without a group). */
export function snapshotMemberPage(
  snapshot: Snapshot,
  skipNestedGroupCheck: boolean,
): ResolvedMemberPage | undefined {
  const group = snapshot.onPrem.group;
  if (group === null) return undefined;
  return {
    resolved: resolveMembers(group, memberDns(group), snapshot.links.recipients, skipNestedGroupCheck),
    lookup: snapshot.cloudLookup,
  };
}

async function walkStoredPages(
  state: StateStore,
  migrationId: string,
  snapshot: Snapshot,
  skipNestedGroupCheck: boolean,
  visit: (page: ResolvedMemberPage) => void | Promise<void>,
): Promise<void> {
  const group = snapshot.onPrem.group;
  if (group === null) return;
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
 * What a step makes of the members, a page at a time. readMembers feeds one walk to several readers: plan needs four
 * things of the members (what validate finds, what the synced copy lacks, stage's list, verify's count) and reads each
 * page once for all of them.
 */
export interface MemberReader<T> {
  readonly read: (page: ResolvedMemberPage) => void;
  readonly result: () => T;
}

type ResultsOf<R extends readonly MemberReader<unknown>[]> = {
  -readonly [K in keyof R]: R[K] extends MemberReader<infer T> ? T : never;
};

/** Walks the pages once, each page given to every reader in turn; their results in the same order. */
export async function readMembers<const R extends readonly MemberReader<unknown>[]>(
  pages: MemberPages,
  ...readers: R
): Promise<ResultsOf<R>> {
  await pages((page) => {
    for (const reader of readers) reader.read(page);
  });
  return readers.map((reader) => reader.result()) as ResultsOf<R>;
}

/**
 * The identities of the members as stage writes them (mapping/links.ts listIdentities, each cloud object once over all
 * pages), `self` standing for the group itself.
 */
export function memberIdentities(self: string): MemberReader<string[]> {
  const seen = new Set<string>();
  const identities: string[] = [];
  return {
    read({ resolved, lookup }) {
      const page = listIdentities(
        resolved.map((r) => r.resolution),
        self,
        cloudObjectOf(lookup),
        seen,
      );
      for (const identity of page) identities.push(identity);
    },
    result: () => identities,
  };
}

/** What validate finds of the members (engine/validation.ts MemberFindings). */
export function memberFindings(): MemberReader<MemberFindings> {
  const problems: Finding[] = [];
  const nestedKept: Finding[] = [];
  return {
    read(page) {
      const found = memberPageFindings(page);
      for (const f of found.problems) problems.push(f);
      for (const f of found.nestedKept) nestedKept.push(f);
    },
    result: () => ({ problems, nestedKept }),
  };
}

/** What validate finds of one page of members. */
export function memberPageFindings({ resolved, lookup }: ResolvedMemberPage): MemberFindings {
  return {
    problems: linkProblems(resolved, new Set(lookup.missing)),
    nestedKept: nestedGroupsKept(resolved),
  };
}

/** The members the synced cloud copy does not hold (engine/parity.ts). */
export function membersNotSyncedOf(syncedMembers: readonly MemberRecord[]): MemberReader<Finding[]> {
  const keys = syncedMemberKeys(syncedMembers);
  const findings: Finding[] = [];
  return {
    read({ resolved }) {
      for (const f of membersNotSynced(resolved, keys)) findings.push(f);
    },
    result: () => findings,
  };
}
