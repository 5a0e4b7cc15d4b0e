// A group's outage window: from the moment the synced cloud group is deleted (its addresses stop resolving) until
// Exchange Online shows every address on the new cloud group (take-over converged). Only the recreate strategy has
// one; converting in place keeps the object and its addresses throughout.
//
// When the steps recorded the times (await-deletion: `goneAt`, the check that first saw the group gone, and
// `lastPresentAt`, the last one that still saw it; take-over: `convergedAt` — read by engine/outage.ts, as the
// migration report does), the window is "recorded". Otherwise it is "derived" from journal times, as an upper bound:
// it starts when park completed (from then on any sync may delete the group) and ends when take-over completed — or,
// for a group rolled back before take-over, when park was undone.
import type { JournalEntry, MigrationRecord } from '@dlmigrate/state';
import { outageOf } from '../engine/outage.js';
import { fromStoredEntry } from '../saga/state-journal.js';

export interface GroupOutage {
  readonly start: string;
  /** Null while the group is still without its addresses (or nothing says when that ended). */
  readonly end: string | null;
  readonly durationMs: number | null;
  /** Recorded only: the last check that still saw the synced group — the deletion happened after it. */
  readonly lastPresentAt?: string;
  readonly source: 'recorded' | 'derived';
  /** In words, what the start and end are. */
  readonly basis: string;
  /** The migration is still open and the window has not ended. */
  readonly ongoing: boolean;
}

/** Statuses in which the group may still be without its addresses (undo_failed waits for an operator). */
const OPEN: readonly string[] = ['planned', 'running', 'parked', 'undo_failed'];

/** The result a completed step stored (StateJournal keeps it under data.result), the latest completion winning. */
function completedResult(journal: readonly JournalEntry[], step: string): Record<string, unknown> | null {
  const entry = journal.findLast((e) => e.step === step && e.event === 'completed');
  if (entry === undefined) return null;
  const result = entry.data['result'];
  return result !== null && typeof result === 'object' && !Array.isArray(result)
    ? (result as Record<string, unknown>)
    : {};
}

const lastAt = (journal: readonly JournalEntry[], step: string, event: string): string | undefined =>
  journal.findLast((e) => e.step === step && e.event === event)?.at;

function time(value: unknown): string | undefined {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

function window(
  start: string,
  end: string | null,
  source: GroupOutage['source'],
  basis: string,
  status: string,
): GroupOutage {
  return {
    start,
    end,
    durationMs: end === null ? null : Math.max(0, Date.parse(end) - Date.parse(start)),
    source,
    basis,
    ongoing: end === null && OPEN.includes(status),
  };
}

/** Recorded times first, journal-derived ones otherwise; null when the group never went without its addresses. */
export function outageWindow(
  migration: Pick<MigrationRecord, 'strategy' | 'status'>,
  journal: readonly JournalEntry[],
): GroupOutage | null {
  if (migration.strategy !== 'recreate') return null;
  // The recorded times, read as the migration report reads them (engine/outage.ts).
  const recorded = outageOf(journal.map(fromStoredEntry));
  const convergedAt = time(completedResult(journal, 'take-over')?.['convergedAt']);
  if (recorded !== undefined) {
    const end = recorded.takeOverConvergedAt ?? lastAt(journal, 'take-over', 'completed') ?? null;
    return {
      ...window(
        recorded.deletionSeenAt,
        end,
        recorded.takeOverConvergedAt !== undefined ? 'recorded' : 'derived',
        recorded.takeOverConvergedAt !== undefined
          ? 'deletion first seen → take-over converged'
          : 'deletion first seen → take-over step completed',
        migration.status,
      ),
      ...(recorded.lastPresentAt === null ? {} : { lastPresentAt: recorded.lastPresentAt }),
    };
  }
  const parked = lastAt(journal, 'park', 'completed');
  if (parked === undefined) return null;
  if (convergedAt !== undefined)
    return window(parked, convergedAt, 'derived', 'park completed → take-over converged', migration.status);
  const tookOver = lastAt(journal, 'take-over', 'completed');
  if (tookOver !== undefined)
    return window(parked, tookOver, 'derived', 'park completed → take-over completed', migration.status);
  const unparked = lastAt(journal, 'park', 'undone');
  if (unparked !== undefined && Date.parse(unparked) >= Date.parse(parked))
    return window(
      parked,
      unparked,
      'derived',
      'park completed → park undone (rolled back)',
      migration.status,
    );
  return window(parked, null, 'derived', 'park completed → not taken over', migration.status);
}
