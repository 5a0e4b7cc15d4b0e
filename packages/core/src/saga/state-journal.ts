// The saga journal kept in @dlmigrate/state (which knows every saga event). A step's result and error travel in
// the entry's data.
import type {
  Fence,
  JournalEntry as StoredJournalEntry,
  JsonObject,
  JsonValue,
  StateStore,
} from '@dlmigrate/state';
import type { Journal, JournalEntry } from './journal.js';

export class StateJournal implements Journal {
  constructor(
    private readonly store: StateStore,
    private readonly fence?: Fence,
  ) {}

  async read(migrationId: string): Promise<readonly JournalEntry[]> {
    return (await this.store.listJournal(migrationId)).map(fromStoredEntry);
  }

  async append(migrationId: string, entry: JournalEntry): Promise<void> {
    const data: JsonObject = {};
    if (entry.data !== undefined) data['result'] = entry.data as JsonValue;
    if (entry.error !== undefined) data['error'] = { ...entry.error } as JsonObject;
    await this.store.appendJournal(migrationId, { step: entry.step, event: entry.event, data }, this.fence);
  }
}

/** A journal entry as the store keeps it, as the saga reads it: the step's result and error out of its data. */
export function fromStoredEntry(e: StoredJournalEntry): JournalEntry {
  const error = e.data['error'] as { message?: unknown; code?: unknown; transient?: unknown } | undefined;
  return {
    step: e.step,
    event: e.event,
    at: e.at,
    ...('result' in e.data ? { data: e.data['result'] } : {}),
    ...(error !== undefined && typeof error.message === 'string'
      ? {
          error: {
            message: error.message,
            ...(typeof error.code === 'string' ? { code: error.code } : {}),
            ...(error.transient === true ? { transient: true } : {}),
          },
        }
      : {}),
  };
}
