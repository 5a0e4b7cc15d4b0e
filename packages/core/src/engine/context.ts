// What a migration runs with: the three systems (directory, tenant, state), the sync trigger, a clock, and the
// migration's own record and options.
import type { ActiveDirectory } from '@dlmigrate/ad';
import type {
  CloudDependantsIndex,
  DistributionGroupRecord,
  ExchangeOnline,
  GraphClient,
  RetryPolicy,
} from '@dlmigrate/exo';
import type { Fence, MigrationRecord, StateStore } from '@dlmigrate/state';
import type { Finding } from '../findings/finding.js';
import type { TenantCapture } from './snapshot.js';
import type { MigrationOptions } from '../options.js';
import type { SyncTrigger } from '../sync/trigger.js';
import type { Clock } from '../util/poll.js';

/**
 * Reads a batch level's captures share, each done once on first use (batch/runner.ts): one tenant-wide
 * cloud-dependants scan and one read of the tenant's facts per level instead of one per group (issue 17).
 */
export interface LevelReads {
  cloudDependants(): Promise<CloudDependantsIndex>;
  tenant(): Promise<TenantCapture>;
}

/** When a batch's deletion watch saw a group's synced original gone (issue 15: the outage window's start). */
export interface DeletionObservation {
  /** The last poll that still saw it (in Graph or Exchange Online); null when none did. */
  readonly lastPresentAt: string | null;
  /** The poll that first saw it gone from both. */
  readonly goneAt: string;
}

/** The lease a run holds on its migration when EngineDeps.leaseMs is not given: one default for engine and batch runner. */
export const DEFAULT_LEASE_MS = 60_000;

export interface EngineDeps {
  readonly ad: ActiveDirectory;
  readonly exchange: ExchangeOnline;
  readonly graph: GraphClient;
  readonly state: StateStore;
  readonly sync: SyncTrigger;
  readonly clock?: Clock;
  /** Identifies this process when it holds leases (batches, several runners). */
  readonly runnerId?: string;
  /** Length of the lease a run holds on its migration (with runnerId). @defaultValue DEFAULT_LEASE_MS */
  readonly leaseMs?: number;
  /** In a batch: tenant-wide reads shared by the captures of the level being prepared. Absent: asked per group. */
  readonly levelReads?: LevelReads;
  /** A batch saw this migration's synced group deleted already: await-deletion asks nothing more. */
  readonly deletionObserved?: DeletionObservation;
  /**
   * In a batch: when the level's deletion deadline passes (clock ms: the level's sync trigger + cloudDeletionMinutes).
   * A straggler's wait ends there — the level's sync was its sync — not a full deadline after its own wait starts.
   */
  readonly deletionDeadlineAt?: number;
  /**
   * In a batch: the level's one final sync (batch/runner.ts). Without `triggeredAt` the level has not triggered it yet,
   * and final-sync suspends the migration until the level's runner resumes it; with it, final-sync triggers none of
   * its own and waits until `triggeredAt` + deadlines.finalSyncMinutes. Absent: the migration triggers its own.
   */
  readonly levelFinalSync?: { readonly triggeredAt?: string };
  /** How a step that met a transient fault is retried (util/retry.ts). @defaultValue the Exchange client's policy */
  readonly retryPolicy?: RetryPolicy;
  /**
   * In a batch: the runner's take-over lane (batch/take-over-lane.ts). A step after take-over starts only once no
   * other group of the runner is between its deletion and its take-over. Absent: steps never wait.
   */
  readonly takeOverLane?: {
    afterTakeOver(migrationId: string, signal?: AbortSignal): Promise<void>;
  };
  /**
   * In a batch: how take-over reads its DL back while it waits for the addresses to show — the checks of the groups
   * taking over at once gathered into shared reads (engine/gathered-group-reads.ts), by stage's identity
   * (ExternalDirectoryObjectId, else Guid). Absent: one read per check.
   */
  readonly distributionGroupReads?: {
    /** The group by stage's identity (ExternalDirectoryObjectId, else Guid), or null when there is none. */
    get(identity: string): Promise<DistributionGroupRecord | null>;
  };
  /**
   * In a batch: the one-DL reads the groups of a level ask at about the same time outside take-over — stage's look for
   * its temporary DL by Name, verify's read of the new DL by stage's identity — gathered into shared reads
   * (engine/gathered-group-reads.ts) outside the priority lane: one call per many groups instead of one each (issue
   * 17). Absent: one read each.
   */
  readonly gatheredGroupReads?: {
    /** The DL of this Name, or null when there is none. */
    readonly byName: { get(name: string): Promise<DistributionGroupRecord | null> };
    /** The DL by stage's identity (ExternalDirectoryObjectId, else Guid), or null when there is none. */
    readonly byIdentity: { get(identity: string): Promise<DistributionGroupRecord | null> };
  };
}

export interface MigrationContext {
  readonly deps: EngineDeps;
  readonly clock: Clock;
  readonly migration: MigrationRecord;
  readonly options: MigrationOptions;
  readonly fence?: Fence;
  /** The operator's stop request (Ctrl-C, SIGTERM): waits pass it to pollUntil, which then ends the wait. */
  readonly signal?: AbortSignal;
  /** Records a non-blocking finding (needs-action / info) for the report; persisted with the step name. */
  note(step: string, finding: Finding): Promise<void>;
}
