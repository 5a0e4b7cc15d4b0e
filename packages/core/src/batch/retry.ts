// `batch --resume` after the batch ended (issue 15: "batch --resume retries groups that were rolled back for a
// transient cause"). Per group, its newest migration in the batch decides:
//   rolled_back, failed for a transient cause (journaled `transient: true` by the saga, or an old journal's code of a
//                throttled / dropped call), or at a deadline the service did not meet (a straggler's deletion, a deleted
//                holder's address quarantine, Exchange slow to show the addresses: SERVICE_DEADLINE_CODES) → a new
//                planned migration of the group joins the batch at its level;
//   undo_failed, the undo failed for a transient cause → the undo is run again (resume: undo steps are idempotent, the
//                saga retries an unfinished undo on every resume); rolled back then, the rule above applies;
//   blocked by a child group that is retried (CHILD_GROUP_MIGRATION_EXCEPTION) → retried with it;
//   anything else stays as it is, with the reason.
// Each level that got a retry is reopened (phase pending, its sync not triggered yet), and the batch runs again.
import {
  isFinalStatus,
  isSucceededStatus,
  type MigrationRecord,
  type MigrationStatus,
} from '@dlmigrate/state';
import { CoreError } from '../errors/core-error.js';
import type { EngineDeps } from '../engine/context.js';
import { runMigration } from '../engine/engine.js';
import type { JournalEntry } from '../saga/journal.js';
import { fromStoredEntry } from '../saga/state-journal.js';
import { TRANSIENT_ERROR_CODES } from '../util/transient.js';

export interface BatchRetryDecision {
  readonly address: string;
  /** The group's newest migration before the retry. */
  readonly migrationId: string;
  /** Its status (after a retried undo: the status that left). */
  readonly status: MigrationStatus;
  /** The new migration that retries the group, when it is retried. */
  readonly retryId: string | null;
  readonly reason: string;
}

// A failure journaled before failures carried `transient` is judged by its code (issue 15's 429s at capture, a dropped
// directory connection): the codes isTransient itself goes by.
const transient = (e: JournalEntry | undefined) =>
  e?.error !== undefined && (e.error.transient === true || TRANSIENT_ERROR_CODES.has(e.error.code ?? ''));

/**
 * Rolled back because the service was slower than a deadline, not because of anything about the group: the weather
 * (issue 15: a straggler rolled back at its level's deadline). Each finding's advice is to try again later
 * (findings/catalogue.ts); a second try is the next sync's chance.
 */
const SERVICE_DEADLINE_CODES: ReadonlySet<string> = new Set([
  'CLOUD_DELETION_TIMEOUT',
  'ADDRESS_STILL_QUARANTINED',
  'TAKE_OVER_NOT_CONVERGED',
]);

const missedServiceDeadline = (e: JournalEntry | undefined) =>
  e?.error?.code !== undefined && SERVICE_DEADLINE_CODES.has(e.error.code);

const describe = (e: JournalEntry | undefined) =>
  e === undefined ? 'no failure journaled' : `${e.step}: ${e.error?.message ?? e.event}`;

/** The newest migration of each group in the batch (a retried group's earlier ones are its history). */
export function newestPerGroup(migrations: readonly MigrationRecord[]): MigrationRecord[] {
  const newest = new Map<string, MigrationRecord>();
  for (const m of migrations) {
    const key = m.group.address.toLowerCase();
    const seen = newest.get(key);
    if (
      seen === undefined ||
      m.createdAt > seen.createdAt ||
      (m.createdAt === seen.createdAt && m.id > seen.id)
    )
      newest.set(key, m);
  }
  return [...newest.values()];
}

export async function retryFailedGroups(
  deps: EngineDeps & { readonly runnerId: string },
  batchId: string,
): Promise<BatchRetryDecision[]> {
  const { state } = deps;
  const batch = await state.getBatch(batchId);
  if (batch === null) throw new CoreError('CORE_BATCH_NOT_FOUND', `there is no batch ${batchId}`);
  const decisions: BatchRetryDecision[] = [];
  const retried = new Set<string>();
  const reopen = new Set<number>();
  const journalOf = async (id: string) => (await state.listJournal(id)).map(fromStoredEntry);

  const retry = async (m: MigrationRecord, status: MigrationStatus, reason: string) => {
    const next = await state.createMigration({
      group: { address: m.group.address, objectGuid: m.group.objectGuid },
      strategy: m.strategy,
      options: m.options,
      status: 'planned',
      batch: { id: batchId, level: m.batchLevel ?? 0 },
    });
    retried.add(m.group.address.toLowerCase());
    reopen.add(m.batchLevel ?? 0);
    decisions.push({ address: m.group.address, migrationId: m.id, status, retryId: next.id, reason });
  };
  const leave = (m: MigrationRecord, status: MigrationStatus, reason: string) =>
    void decisions.push({ address: m.group.address, migrationId: m.id, status, retryId: null, reason });

  const newest = newestPerGroup(await state.listMigrations({ batchId })).sort(
    (a, b) => (a.batchLevel ?? 0) - (b.batchLevel ?? 0),
  );
  for (let m of newest) {
    if (m.status === 'undo_failed') {
      const undoFailures = (await journalOf(m.id)).filter((e) => e.event === 'undo-failed');
      const last = undoFailures.at(-1);
      if (!transient(last)) {
        leave(m, m.status, `undo failed (${describe(last)}); fix the cause, then: dlmigrate resume ${m.id}`);
        continue;
      }
      // The undo met a transient fault: run it again (what `dlmigrate resume` does for an unfinished undo).
      const outcome = await runMigration(deps, m.id);
      m = (await state.getMigration(m.id)) ?? m;
      if (outcome.status !== 'rolled_back') {
        leave(m, outcome.status, `undo retried, still ${outcome.status}: ${outcome.error ?? ''}`.trim());
        continue;
      }
    }
    if (m.status === 'rolled_back') {
      const failed = (await journalOf(m.id)).findLast((e) => e.event === 'failed');
      if (transient(failed))
        await retry(m, m.status, `rolled back for a transient cause (${describe(failed)})`);
      else if (missedServiceDeadline(failed))
        await retry(m, m.status, `rolled back at a deadline the service did not meet (${describe(failed)})`);
      else leave(m, m.status, `rolled back (${describe(failed)}); not a transient cause`);
    }
  }
  // Parents that never started because a child failed: retried with the child (their level runs after the child's).
  for (const m of newest) {
    if (m.status !== 'blocked') continue;
    const findings = await state.listFindings(m.id);
    const byChild = findings.filter((e) => e.code === 'CHILD_GROUP_MIGRATION_EXCEPTION');
    if (
      byChild.length > 0 &&
      byChild.every((e) => e.subject !== null && retried.has(e.subject.toLowerCase()))
    )
      await retry(m, m.status, `blocked by ${byChild.map((e) => e.subject).join(', ')}, which is retried`);
  }

  const decided = new Set(decisions.map((d) => d.migrationId));
  for (const m of newest) {
    if (decided.has(m.id) || isSucceededStatus(m.status) || !isFinalStatus(m.status)) continue;
    const codes = [
      ...new Set(
        (await state.listFindings(m.id)).filter((e) => e.severity === 'blocking').map((e) => e.code),
      ),
    ];
    leave(
      m,
      m.status,
      `${m.status.replaceAll('_', ' ')}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}; not retried`,
    );
  }

  for (const level of reopen) {
    const record = batch.levels.find((l) => l.level === level);
    // The level's syncs (the deletion one and the final one) run again for its retried groups; what it saw before stays
    // (keyed by the old migrations).
    const {
      syncTriggeredAt: _triggered,
      finalSyncTriggeredAt: _finalTriggered,
      deleted: _deleted,
      notDeleted: _notDeleted,
      ...kept
    } = record?.data ?? {};
    await state.updateBatchLevel(batchId, level, { phase: 'pending', data: kept });
  }
  if (reopen.size > 0) await state.setBatchStatus(batchId, 'running');
  return decisions;
}
