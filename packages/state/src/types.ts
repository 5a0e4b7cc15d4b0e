// The records kept per migration and per batch, and the StateStore interface both engines implement.
// Timestamps are ISO-8601 strings taken from the database clock, so runners on several machines
// judge leases by one clock.

export type Strategy = 'recreate' | 'convert';

/**
 * What a record of the migrations table is: a migration by one of the two strategies, or an address update (core's
 * hybrid/update-address.ts: a migrated DL's new primary address, its own steps, never resumed or restored as a
 * migration). Stored in the `strategy` column (schema version 5).
 */
export const RECORD_KINDS = ['recreate', 'convert', 'address-update'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const MIGRATION_STATUSES = [
  'planned',
  'running',
  'parked',
  'completed',
  'completed_with_warnings',
  'failed',
  'rolled_back',
  'blocked',
  /** A failure before the point of no return was undone only in part: resume retries the undo. */
  'undo_failed',
] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

/** Statuses a runner may still claim and work on; the rest are final. */
export const OPEN_STATUSES: readonly MigrationStatus[] = ['planned', 'running', 'parked'];

/**
 * Statuses a migration ends in: nothing more happens to it without an operator (an unfinished undo, undo_failed,
 * waits for `dlmigrate resume <id>`; a batch goes on without it).
 */
const FINAL_STATUSES: readonly MigrationStatus[] = [
  'completed',
  'completed_with_warnings',
  'failed',
  'rolled_back',
  'blocked',
  'undo_failed',
];

/** The migration did what it was asked; warnings that need an administrator are still a success (B14). */
const SUCCEEDED_STATUSES: readonly MigrationStatus[] = ['completed', 'completed_with_warnings'];

export function isFinalStatus(status: MigrationStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function isSucceededStatus(status: MigrationStatus): boolean {
  return SUCCEEDED_STATUSES.includes(status);
}

/**
 * Statuses in which a migration holds its group: it has changed, or may still change, the directory or the tenant.
 * The store admits at most one such migration per group (a unique index, see schema.ts version 3); a second one is
 * refused with GroupHasOpenMigrationError naming the first.
 */
export const GROUP_HOLDING_STATUSES: readonly MigrationStatus[] = ['running', 'parked', 'undo_failed'];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who the migration is about. The address is always known; the objectGUID once captured. */
export interface GroupIdentity {
  address: string;
  objectGuid?: string | null;
}

export interface Lease {
  owner: string;
  expiresAt: string;
}

export interface MigrationRecord {
  id: string;
  group: { address: string; objectGuid: string | null };
  strategy: RecordKind;
  /** Engine options for this migration. Never holds a secret (see assertNoSecrets). */
  options: JsonObject;
  status: MigrationStatus;
  /** Step of the last journal entry (null before the first one). */
  currentStep: string | null;
  lease: Lease | null;
  batchId: string | null;
  /** Dependency level inside the batch (0 = children first), null outside a batch. */
  batchLevel: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewMigration {
  /** Optional caller-chosen id ([A-Za-z0-9._-], max 128); a sortable one is generated otherwise. */
  id?: string;
  group: GroupIdentity;
  strategy: RecordKind;
  options?: JsonObject;
  status?: MigrationStatus;
  /** Joins an existing batch at this level (a group's retry in `batch --resume` joins the batch it failed in). */
  batch?: { id: string; level: number };
}

export interface MigrationPatch {
  status?: MigrationStatus;
  options?: JsonObject;
  /** Fill in the objectGUID once capture found it. */
  objectGuid?: string | null;
}

export interface MigrationFilter {
  batchId?: string;
  batchLevel?: number;
  status?: MigrationStatus | readonly MigrationStatus[];
  /** Matches the group's address (case-insensitive) or objectGUID. */
  group?: string;
}

/** What a journal entry records about its step (one vocabulary: core's saga writes these). */
export const JOURNAL_EVENTS = [
  /** Written before the step runs. */
  'started',
  /** Written after it succeeded, with the data later steps and undo need. */
  'completed',
  /** It threw; before the point of no return the saga then undoes. */
  'failed',
  /** The step does not apply to this migration (an option turned it off): resume must not run it. */
  'skipped',
  /** It stopped on purpose and can be resumed (e.g. still parked at the deletion deadline). */
  'suspended',
  /** A step being undone: begun, done, failed. */
  'undo-started',
  'undone',
  'undo-failed',
] as const;
export type JournalEvent = (typeof JOURNAL_EVENTS)[number];

export interface JournalEntry {
  migrationId: string;
  /** 1, 2, 3 … without gaps per migration. */
  seq: number;
  step: string;
  event: JournalEvent;
  /** What the step needs to resume or undo. */
  data: JsonObject;
  at: string;
}

export interface NewJournalEntry {
  step: string;
  event: JournalEvent;
  data?: JsonObject;
}

/** Known backup kinds; other lower-case kebab names are accepted too. */
export type BackupKind =
  'onprem-group' | 'cloud-dl' | 'onprem-dependents' | 'cloud-dependents' | 'graph-group' | (string & {});

export interface BackupRecord {
  migrationId: string;
  kind: BackupKind;
  data: JsonValue;
  createdAt: string;
}

/**
 * How much a finding matters: blocking (nothing may change while it stands), needs-action (the migration went
 * through, an administrator finishes something by hand), info. The one severity vocabulary of every package.
 */
export const FINDING_SEVERITIES = ['blocking', 'needs-action', 'info'] as const;
export type Severity = (typeof FINDING_SEVERITIES)[number];

/** A finding about a migration, as a step records it (core's findings catalogue holds the codes). */
export interface NewFinding {
  /** Stable code from core's findings catalogue, e.g. "ADDRESS_HELD_ELSEWHERE". */
  code: string;
  severity: Severity;
  message: string;
  attribute?: string | null;
  /** What the finding is about: an address, a DN, a name (null: the migration's group as a whole). */
  subject?: string | null;
  step?: string | null;
}

export interface FindingRecord extends Required<NewFinding> {
  migrationId: string;
  seq: number;
  at: string;
}

export interface ReportRecord {
  migrationId: string;
  report: JsonObject;
  updatedAt: string;
}

export const BATCH_STATUSES = [
  'planned',
  'running',
  'completed',
  'completed_with_failures',
  'cancelled',
] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export interface BatchLevelRecord {
  batchId: string;
  level: number;
  /** Where the level is, as the engine names it (e.g. "staging", "parking", "syncing", "finishing", "done"). */
  phase: string;
  /** The runner that coordinates this level's one sync (see claimLevelSync). */
  syncCoordinator: Lease | null;
  /** Free data the engine keeps per level (e.g. when the sync was triggered). */
  data: JsonObject;
  updatedAt: string;
}

export interface BatchRecord {
  id: string;
  input: JsonObject;
  status: BatchStatus;
  levels: BatchLevelRecord[];
  createdAt: string;
  updatedAt: string;
}

export interface NewBatch {
  id?: string;
  input: JsonObject;
  /** levels[0] are the children (run first); every entry becomes a planned migration of that level. */
  levels: NewMigration[][];
}

export interface LevelProgress {
  level: number;
  phase: string;
  total: number;
  byStatus: Record<MigrationStatus, number>;
  syncCoordinator: Lease | null;
}

export interface BatchProgress {
  batchId: string;
  status: BatchStatus;
  levels: LevelProgress[];
}

export interface BatchLevelPatch {
  phase?: string;
  data?: JsonObject;
}

/** Pass to writes made under a lease: the write fails with LeaseLostError if the runner no longer holds it. */
export interface Fence {
  runnerId: string;
}

export interface ClaimOptions {
  /** Only claim migrations of this dependency level. */
  level?: number;
}

/** Everything kept about one migration, as exported to / imported from an audit folder. */
export interface MigrationBundle {
  /** The migration without its lease: a lease belongs to a live runner of the store it came from. */
  migration: Omit<MigrationRecord, 'lease'>;
  journal: JournalEntry[];
  backups: BackupRecord[];
  findings: FindingRecord[];
  report: ReportRecord | null;
}

export type Engine = 'sqlite' | 'postgres';

/** One right a trustee holds on a mailbox, as `dlmigrate collect permissions` found it. */
export interface PermissionEntry {
  /** The mailbox (its primary SMTP address). */
  readonly mailbox: string;
  readonly kind: 'FullAccess' | 'SendAs' | 'SendOnBehalf' | 'Folder';
  /** The folder for folder rights ("" otherwise). */
  readonly folder: string;
  /** The trustee as Exchange names it (user principal name or name), and its SID when Exchange gave one. */
  readonly trustee: string;
  readonly trusteeSid: string;
  readonly accessRights: readonly string[];
}

export interface PermissionRecord extends PermissionEntry {
  readonly collectedAt: string;
}

export interface PermissionCollectionInfo {
  readonly mailboxes: number;
  readonly pending: number;
  readonly rights: number;
  /** When the least recently scanned mailbox of the collection was scanned (null: none scanned yet). */
  readonly oldestScan: string | null;
}

export interface StateStore {
  readonly engine: Engine;
  /** Highest schema migration applied to this store. */
  schemaVersion(): Promise<number>;

  createMigration(input: NewMigration): Promise<MigrationRecord>;
  getMigration(id: string): Promise<MigrationRecord | null>;
  listMigrations(filter?: MigrationFilter): Promise<MigrationRecord[]>;
  /** The migration that holds the group at `address` (GROUP_HOLDING_STATUSES), other than `except`, if any. */
  openMigrationOf(address: string, except?: string): Promise<MigrationRecord | null>;
  updateMigration(id: string, patch: MigrationPatch, fence?: Fence): Promise<MigrationRecord>;

  /** Appends the next entry (seq = last + 1) and sets the migration's current step, in one transaction. */
  appendJournal(migrationId: string, entry: NewJournalEntry, fence?: Fence): Promise<JournalEntry>;
  /** Appends the entry and sets the status together (e.g. last step completed → "completed"). */
  appendJournalAndSetStatus(
    migrationId: string,
    entry: NewJournalEntry,
    status: MigrationStatus,
    fence?: Fence,
  ): Promise<JournalEntry>;
  listJournal(migrationId: string): Promise<JournalEntry[]>;

  /**
   * Written once: the same data again is a no-op, different data throws BackupExistsError. `json`: the data already
   * serialised (JSON.stringify(data)) by a caller that needed the text anyway, stored as it is instead of serialising a
   * large snapshot part a second time.
   */
  putBackup(migrationId: string, kind: BackupKind, data: JsonValue, json?: string): Promise<BackupRecord>;
  getBackup(migrationId: string, kind: BackupKind): Promise<BackupRecord | null>;
  /** Whether a backup of this kind exists, its data neither read nor parsed. */
  hasBackup(migrationId: string, kind: BackupKind): Promise<boolean>;
  /** In kind order; with `kindPrefix`, only the backups whose kind starts with it (the others are not read). */
  listBackups(migrationId: string, kindPrefix?: string): Promise<BackupRecord[]>;

  /** Appends findings (seq = last + 1, …) in one transaction. */
  addFindings(migrationId: string, findings: readonly NewFinding[]): Promise<FindingRecord[]>;
  listFindings(migrationId: string): Promise<FindingRecord[]>;
  /** Removes findings (all, or those of one step) — e.g. before validate runs again. */
  clearFindings(migrationId: string, step?: string): Promise<number>;
  /** Removes the findings numbered `seqs` (FindingRecord.seq), all in one statement; returns how many were removed. */
  dropFindings(migrationId: string, seqs: readonly number[]): Promise<number>;

  putReport(migrationId: string, report: JsonObject): Promise<ReportRecord>;

  /** Adds mailboxes to the permission collection as still to scan (a new pass: all of them again). */
  queuePermissionScan(mailboxes: readonly string[]): Promise<void>;
  /** Mailboxes of the collection not scanned in the current pass. */
  pendingPermissionScan(): Promise<string[]>;
  /** Replaces what was collected for one mailbox and marks it scanned, in one transaction. */
  putMailboxPermissions(mailbox: string, entries: readonly PermissionEntry[]): Promise<void>;
  /** Rights held by any of these trustees (names, addresses or SIDs, compared case-insensitively). */
  findPermissionsHeldBy(trustees: readonly string[]): Promise<PermissionRecord[]>;
  listPermissions(): Promise<PermissionRecord[]>;
  permissionCollectionInfo(): Promise<PermissionCollectionInfo>;
  getReport(migrationId: string): Promise<ReportRecord | null>;

  /** Creates the batch, its levels and one planned migration per group, in one transaction. */
  createBatch(input: NewBatch): Promise<{ batch: BatchRecord; migrations: MigrationRecord[] }>;
  getBatch(id: string): Promise<BatchRecord | null>;
  /**
   * One level of a batch (null when the batch has no such level): its row alone, not the batch's input and every
   * level as getBatch reads them — what a runner waiting on a level polls (several times a second while it holds
   * parked groups).
   */
  getBatchLevel(batchId: string, level: number): Promise<BatchLevelRecord | null>;
  listBatches(): Promise<BatchRecord[]>;
  setBatchStatus(id: string, status: BatchStatus): Promise<BatchRecord>;
  updateBatchLevel(batchId: string, level: number, patch: BatchLevelPatch): Promise<BatchLevelRecord>;
  batchProgress(batchId: string): Promise<BatchProgress>;
  /**
   * Makes this runner the level's sync coordinator unless another runner holds an unexpired
   * coordination lease. Returns true if this runner coordinates (also when it already did: renews).
   */
  claimLevelSync(batchId: string, level: number, runnerId: string, leaseMs: number): Promise<boolean>;
  /** Gives the level's sync coordination up (no-op unless `runnerId` holds it): e.g. a runner stopped by Ctrl-C. */
  releaseLevelSync(batchId: string, level: number, runnerId: string): Promise<void>;

  /**
   * Claims the next open migration (planned/running/parked) of the batch whose lease is free or
   * expired, lowest level first, then by id. Null when nothing is claimable right now.
   */
  claimNext(
    batchId: string,
    runnerId: string,
    leaseMs: number,
    options?: ClaimOptions,
  ): Promise<MigrationRecord | null>;
  /** Claims one migration by id (e.g. resume); null if another runner holds an unexpired lease. */
  claimMigration(id: string, runnerId: string, leaseMs: number): Promise<MigrationRecord | null>;
  /** Extends the lease; false if the runner no longer holds it (expired and taken over). */
  renewLease(migrationId: string, runnerId: string, leaseMs: number): Promise<boolean>;
  /** Gives the lease up (no-op if not held). */
  releaseLease(migrationId: string, runnerId: string): Promise<void>;
  /** The runners working on a batch now: owners of its unexpired leases (a group's, a level's sync), sorted. */
  batchRunners(batchId: string): Promise<string[]>;
  /**
   * The database clock, in epoch milliseconds: lease times (`lease.expiresAt`, the level-sync lease) are written by
   * it, so a runner judging whether a lease is still live compares with this, never with its own clock.
   */
  now(): Promise<number>;

  /** Reads everything about one migration (for export). */
  readMigrationBundle(migrationId: string): Promise<MigrationBundle>;
  /** Writes a bundle back in one transaction, keeping its ids, sequence numbers and times.
   * Refuses (AlreadyExistsError, nothing written) if the migration exists. */
  writeMigrationBundle(bundle: MigrationBundle): Promise<MigrationRecord>;

  close(): Promise<void>;
}
