// Errors the store throws on purpose, each with a stable code so callers can branch without
// parsing messages.

/** One row of an error-code table: the same shape in every package (docs/errors.md is written from them). */
export interface StateErrorCodeEntry {
  /** What happened, in one sentence. */
  readonly means: string;
  /** What the administrator should do. */
  readonly action: string;
}

/** Every code a StateError carries. Stable: never rename one, only add. */
export const STATE_ERROR_CODES = {
  STATE_NOT_FOUND: {
    means: 'The migration, batch or record asked for is not in the state store.',
    action: 'Check the id, and that the command uses the same state store (--state) as the run that made it.',
  },
  STATE_ALREADY_EXISTS: {
    means: 'A record with that id already exists in the state store.',
    action: 'Use a new id, or continue the existing one (resume).',
  },
  STATE_BACKUP_EXISTS: {
    means: 'A backup is written once; a second, different write of the same backup was refused.',
    action: 'Report a bug: a capture ran twice with different results.',
  },
  STATE_LEASE_LOST: {
    means: "The runner's lease on the migration expired; another runner may have taken it over.",
    action: 'Nothing was written after the loss; run the command again (or let the other runner finish).',
  },
  STATE_SECRET_REFUSED: {
    means: 'Something to be stored looks like a secret (a password, a key), so it was not stored.',
    action: 'Pass credentials at run time (certificate path, environment), never in stored options.',
  },
  STATE_INVALID_INPUT: {
    means: 'A value handed to the state store cannot be stored (an empty id, a bad status, …).',
    action: 'Read the message; it names the value.',
  },
  STATE_SCHEMA_TOO_NEW: {
    means: 'The state store was written by a newer dlmigrate than this one.',
    action: 'Upgrade dlmigrate.',
  },
  STATE_GROUP_HAS_OPEN_MIGRATION: {
    means:
      'The group already has an open migration (running, parked, or with an unfinished undo); a second is refused.',
    action:
      'Continue the open one with `dlmigrate resume <id>`, or `dlmigrate batch --resume <batch id>` when it belongs to a batch (the message names the command; `dlmigrate status` lists it).',
  },
  STATE_UNAVAILABLE: {
    means: 'The state store cannot be opened: the database server is down, or the file is not accessible.',
    action: 'Check --state (the SQLite file or the PostgreSQL URL) and that the server runs.',
  },
} as const satisfies Record<string, StateErrorCodeEntry>;

export type StateErrorCode = keyof typeof STATE_ERROR_CODES;

export class StateError extends Error {
  readonly code: StateErrorCode;
  constructor(code: StateErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

export class NotFoundError extends StateError {
  constructor(what: string, id: string) {
    super('STATE_NOT_FOUND', `${what} "${id}" does not exist in the state store`);
  }
}

export class AlreadyExistsError extends StateError {
  constructor(what: string, id: string) {
    super('STATE_ALREADY_EXISTS', `${what} "${id}" already exists in the state store`);
  }
}

/** A backup is immutable: writing different data under the same kind is refused. */
export class BackupExistsError extends StateError {
  constructor(migrationId: string, kind: string) {
    super(
      'STATE_BACKUP_EXISTS',
      `migration "${migrationId}" already has a "${kind}" backup with different content; backups are written once`,
    );
  }
}

/** The runner's lease expired and another runner may have taken the migration over. */
export class LeaseLostError extends StateError {
  constructor(migrationId: string, runnerId: string) {
    super('STATE_LEASE_LOST', `runner "${runnerId}" no longer holds the lease on migration "${migrationId}"`);
  }
}

export class SecretInStateError extends StateError {
  readonly paths: string[];
  constructor(where: string, paths: string[]) {
    super(
      'STATE_SECRET_REFUSED',
      `refusing to store ${where}: it holds what looks like a secret at ${paths.join(', ')}; ` +
        'pass credentials at run time (certificate path, environment), never in stored options',
    );
    this.paths = paths;
  }
}

export class InvalidInputError extends StateError {
  constructor(message: string) {
    super('STATE_INVALID_INPUT', message);
  }
}

/** The database was written by a newer dlmigrate (its schema version is unknown to this one). */
export class SchemaTooNewError extends StateError {
  constructor(found: number, known: number) {
    super(
      'STATE_SCHEMA_TOO_NEW',
      `the state store has schema version ${found} but this dlmigrate knows only up to ${known}; upgrade dlmigrate`,
    );
  }
}

/** The store could not be opened (server down, no permission on the file, …). */
export class StoreUnavailableError extends StateError {
  constructor(location: string, cause: unknown) {
    super(
      'STATE_UNAVAILABLE',
      `cannot open the state store at ${location}: ${(cause as Error)?.message ?? String(cause)}`,
    );
    this.cause = cause;
  }
}

/**
 * The group already has a migration that holds it (running, parked, or with an unfinished undo): a second one is not
 * admitted, whichever process or runner asks. Continue the open one instead — by `dlmigrate resume <id>`, or, when it
 * belongs to a batch, by `dlmigrate batch --resume <batch id>` (the batch runner holds its groups' leases, orders them
 * by level and coordinates each level's sync: a lone `resume` of one of them would run outside all of that).
 */
export class GroupHasOpenMigrationError extends StateError {
  readonly groupAddress: string;
  /** The open migration's id, or null when it could not be read back (it finished in between). */
  readonly openMigrationId: string | null;
  /** The batch the open migration belongs to, or null when it was started on its own. */
  readonly openBatchId: string | null;
  constructor(groupAddress: string, openMigrationId: string | null, openBatchId: string | null = null) {
    super(
      'STATE_GROUP_HAS_OPEN_MIGRATION',
      openMigrationId === null
        ? `the group ${groupAddress} has another open migration; see dlmigrate status`
        : `the group ${groupAddress} already has an open migration ${openMigrationId}${openBatchId === null ? '' : ` of batch ${openBatchId}`}; continue it with: ${continueCommand(openMigrationId, openBatchId)}`,
    );
    this.groupAddress = groupAddress;
    this.openMigrationId = openMigrationId;
    this.openBatchId = openBatchId;
  }
}

/** The command that continues an open migration: its batch's resume when it belongs to one. */
export const continueCommand = (migrationId: string, batchId: string | null): string =>
  batchId === null ? `dlmigrate resume ${migrationId}` : `dlmigrate batch --resume ${batchId}`;
