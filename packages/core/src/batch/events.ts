// What a batch reports while it runs, for the CLI's live view (and for tests that follow a run). One callback, one
// discriminated union: the CLI switches on `type`.
import type { MigrationStatus } from '@dlmigrate/state';
import type { MigrationEvent } from '../engine/engine.js';

/** Where a level (one sync wave) is; also stored as the level's phase in the state store. */
export type LevelPhase = 'pending' | 'preparing' | 'syncing' | 'finishing' | 'final-sync' | 'done';

export type BatchEvent =
  | {
      readonly type: 'level';
      readonly batchId: string;
      readonly level: number;
      readonly phase: LevelPhase;
      readonly groups: number;
    }
  /** This runner triggered the level's one sync (only the elected coordinator does). */
  | {
      readonly type: 'sync-triggered';
      readonly batchId: string;
      readonly level: number;
      readonly groups: number;
    }
  /**
   * This runner triggered the level's one final sync, after the on-prem rewiring of its groups (steps/final-sync.ts):
   * `groups` wait for it to update the synced copies of their on-prem dependants.
   */
  | {
      readonly type: 'final-sync-triggered';
      readonly batchId: string;
      readonly level: number;
      readonly groups: number;
    }
  /** The level's watch saw one group's synced original gone (Graph and Exchange Online): it starts at once. */
  | {
      readonly type: 'deletion-seen';
      readonly batchId: string;
      readonly level: number;
      readonly migrationId: string;
      readonly address: string;
      /** The last poll that still saw it (null: none did). */
      readonly lastPresentAt: string | null;
      readonly goneAt: string;
    }
  /** The level's deletion wait ended: how many synced groups are gone, how many are not (yet). */
  | {
      readonly type: 'deletions';
      readonly batchId: string;
      readonly level: number;
      readonly deleted: number;
      readonly pending: number;
      readonly polls: number;
    }
  /** One journal entry of one group (step started / completed / failed …). */
  | ({ readonly type: 'step'; readonly batchId: string; readonly level: number } & MigrationEvent)
  /** A group reached a status this runner will not change any more in this phase. */
  | {
      readonly type: 'group';
      readonly batchId: string;
      readonly level: number;
      readonly migrationId: string;
      readonly address: string;
      readonly status: MigrationStatus;
      readonly codes: readonly string[];
      readonly error?: string;
    }
  /**
   * The batch's runners changed in number: this runner now paces itself at its share of the configured ceiling of
   * calls per second (budget-share.ts).
   */
  | {
      readonly type: 'budget-share';
      readonly batchId: string;
      readonly runners: number;
      readonly callsPerSecond: number;
    }
  /** A parent that had to wait for a child it was not planned behind runs again as a new migration. */
  | {
      readonly type: 'retry';
      readonly batchId: string;
      readonly level: number;
      readonly address: string;
      readonly after: readonly string[];
    };

export type BatchEventListener = (event: BatchEvent) => void;
