// How far the stage step got writing the temporary DL's members, kept in the state store so that a run killed in the
// middle of 95,000 additions resumes where it was (issue 17), not at the first one. Each report is a write-once
// backup (`members-<list>-replaced`, `members-<list>-added-<n>`): a crash between a call and its report repeats at
// most one report's worth of additions, which Exchange answers as "already a member". The list's digest is part of
// the name, so progress made for another member list is never applied to this one.
import { createHash } from 'node:crypto';
import {
  ADDITIONS_PER_PROGRESS,
  MEMBERS_PER_REPLACE,
  type ExchangeOnline,
  type MembershipProgress,
  type ReplaceMembersResult,
} from '@dlmigrate/exo';
import type { StateStore } from '@dlmigrate/state';

interface MembershipJournal {
  /** Where an earlier run of this migration got to with this list (nothing done: replaced false). */
  readonly resumeFrom: MembershipProgress;
  /** Persists a report (durable when it resolves). */
  record(progress: MembershipProgress): Promise<void>;
}

/** Short digest of the member list, in order: progress is a prefix of exactly this list. */
function listDigest(members: readonly string[]): string {
  const hash = createHash('sha256');
  for (const m of members) hash.update(m).update('\n');
  return hash.digest('hex').slice(0, 16);
}

/**
 * Reads the latest report for this list. Reports are probed in the order they are written (the replace, then every
 * `every` additions), so a resume reads one small record per report instead of listing the migration's backups,
 * which hold the whole snapshot.
 */
async function openMembershipJournal(
  state: StateStore,
  migrationId: string,
  members: readonly string[],
  plan: { readonly additions: number; readonly every: number },
): Promise<MembershipJournal> {
  const prefix = `members-${listDigest(members)}`;
  const kind = (p: MembershipProgress) =>
    p.added === 0 ? `${prefix}-replaced` : `${prefix}-added-${p.added}`;
  let resumeFrom: MembershipProgress = { replaced: false, added: 0 };
  if ((await state.getBackup(migrationId, kind({ replaced: true, added: 0 }))) !== null) {
    resumeFrom = { replaced: true, added: 0 };
    for (let next = plan.every; ; next += plan.every) {
      // The last report carries the exact count (a partial last group of additions).
      const added = Math.min(next, plan.additions);
      if (added <= resumeFrom.added) break;
      if ((await state.getBackup(migrationId, kind({ replaced: true, added }))) === null) break;
      resumeFrom = { replaced: true, added };
    }
  }
  return {
    resumeFrom,
    async record(progress) {
      if (!progress.replaced) return;
      await state.putBackup(migrationId, kind(progress), { members: members.length, ...progress });
    },
  };
}

/**
 * Gives the DL exactly these members the documented way (one replace of ≤ 5,000, then additions within the tenant's
 * budget, ExchangeOnline.replaceMembers), continuing after the last progress journaled for this migration and list.
 */
export async function writeMembership(
  exchange: ExchangeOnline,
  state: StateStore,
  migrationId: string,
  identity: string,
  members: readonly string[],
): Promise<ReplaceMembersResult> {
  const unique = [...new Set(members)];
  const journal = await openMembershipJournal(state, migrationId, unique, {
    additions: Math.max(0, unique.length - MEMBERS_PER_REPLACE),
    every: ADDITIONS_PER_PROGRESS,
  });
  return exchange.replaceMembers(identity, unique, {
    chunkSize: MEMBERS_PER_REPLACE,
    progressEvery: ADDITIONS_PER_PROGRESS,
    resumeFrom: journal.resumeFrom,
    onProgress: (progress) => journal.record(progress),
  });
}
