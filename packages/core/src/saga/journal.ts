// The journal a saga writes before and after every step. The engine only needs these two calls; the state package
// provides the durable implementation, and MemoryJournal serves plans (dry runs) and the runner's own tests.
import type { JournalEvent } from '@dlmigrate/state';

export interface JournalEntry {
  readonly step: string;
  readonly event: JournalEvent;
  /** ISO-8601 time the entry was written. */
  readonly at: string;
  /** JSON-serialisable output of a completed step. */
  readonly data?: unknown;
  readonly error?: {
    readonly message: string;
    readonly code?: string | undefined;
    /** The failure had a transient cause (SagaRunOptions.isTransient): `batch --resume` may try the group again. */
    readonly transient?: boolean | undefined;
  };
}

export interface Journal {
  read(migrationId: string): Promise<readonly JournalEntry[]>;
  /** Must be durable when the promise resolves: a crash right after still finds the entry. */
  append(migrationId: string, entry: JournalEntry): Promise<void>;
}

export class MemoryJournal implements Journal {
  readonly #entries = new Map<string, JournalEntry[]>();

  async read(migrationId: string): Promise<readonly JournalEntry[]> {
    return [...(this.#entries.get(migrationId) ?? [])];
  }

  async append(migrationId: string, entry: JournalEntry): Promise<void> {
    // Round-trip through JSON so the in-memory journal holds exactly what a durable one could hold.
    const copy = JSON.parse(JSON.stringify(entry)) as JournalEntry;
    (this.#entries.get(migrationId) ?? this.#entries.set(migrationId, []).get(migrationId)!).push(copy);
  }
}

/** The last entry per step, in journal order. */
export function lastEntryByStep(entries: readonly JournalEntry[]): Map<string, JournalEntry> {
  const last = new Map<string, JournalEntry>();
  for (const e of entries) last.set(e.step, e);
  return last;
}

/** Data of every completed step (the latest completion wins). */
export function completedData(entries: readonly JournalEntry[]): Map<string, unknown> {
  const data = new Map<string, unknown>();
  for (const e of entries) if (e.event === 'completed') data.set(e.step, e.data);
  return data;
}
