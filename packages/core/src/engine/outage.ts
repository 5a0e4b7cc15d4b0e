// The outage window of a recreate migration: from the moment the synced group was seen gone (its addresses then have
// no recipient) until Exchange Online showed every address on the new DL. The polls bound it: the deletion happened
// after the last poll that still saw the group and before the first that saw it gone, so the window is at least
// (converged − goneAt) and at most (converged − lastPresentAt). Issue 15 asks for both per group and p50/p95 per batch.
import type { JournalEntry } from '../saga/journal.js';

export interface OutageWindow {
  /** The last poll that still saw the synced group (null: none did — it was gone at the first look). */
  readonly lastPresentAt: string | null;
  /** The first poll that saw it gone. */
  readonly deletionSeenAt: string;
  /** When Exchange Online first showed every address on the new DL. */
  readonly takeOverConvergedAt?: string;
  /** converged − deletionSeen, in seconds: the window as observed. */
  readonly seconds?: number;
  /** converged − lastPresent, in seconds: the most it can have been. */
  readonly atMostSeconds?: number;
}

/** The window from a migration's journal; undefined when it never saw a deletion (convert, or not that far). */
export function outageOf(journal: readonly JournalEntry[]): OutageWindow | undefined {
  const completed = (step: string) =>
    journal.findLast((e) => e.step === step && e.event === 'completed')?.data as
      Record<string, unknown> | undefined;
  const deletion = completed('await-deletion');
  const deletionSeenAt = deletion?.['goneAt'];
  if (typeof deletionSeenAt !== 'string') return undefined;
  const lastPresentAt = typeof deletion?.['lastPresentAt'] === 'string' ? deletion['lastPresentAt'] : null;
  const converged = completed('take-over')?.['convergedAt'];
  if (typeof converged !== 'string') return { lastPresentAt, deletionSeenAt };
  const seconds = (from: string) => Math.max(0, (Date.parse(converged) - Date.parse(from)) / 1000);
  return {
    lastPresentAt,
    deletionSeenAt,
    takeOverConvergedAt: converged,
    seconds: seconds(deletionSeenAt),
    ...(lastPresentAt === null ? {} : { atMostSeconds: seconds(lastPresentAt) }),
  };
}

export interface OutageSummary {
  readonly groups: number;
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly maxSeconds: number;
}

/** p50 / p95 (nearest rank) of observed windows; null for none. */
export function summarizeOutages(seconds: readonly number[]): OutageSummary | null {
  if (seconds.length === 0) return null;
  const sorted = [...seconds].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  return {
    groups: sorted.length,
    p50Seconds: rank(0.5),
    p95Seconds: rank(0.95),
    maxSeconds: sorted[sorted.length - 1]!,
  };
}
