// Every error code core throws, with what it means and what to do about it. This table is the one source for the
// CoreError class (its default hint), the CLI's exit codes and docs/errors.md (written by
// packages/core/scripts/errors-doc.ts).
// Codes are part of the public interface: scripts branch on them, so never rename one, only add.

/** One row of an error-code table: the same shape in every package (ad, exo, state, core). */
export interface ErrorCodeEntry {
  /** What happened, in one sentence. */
  readonly means: string;
  /** What the administrator should do. */
  readonly action: string;
}

export const CORE_ERROR_CODES = {
  CORE_MIGRATION_NOT_FOUND: {
    means: 'No migration with that id is in the state store.',
    action: 'Check the id; `dlmigrate status` lists the migrations of this state store.',
  },
  CORE_ADDRESS_UPDATE_NOT_FOUND: {
    means: 'No address update with that id is in the state store.',
    action: 'Check the id; `dlmigrate status` lists every operation of this state store.',
  },
  CORE_BATCH_NOT_FOUND: {
    means: 'No batch with that id is in the state store.',
    action: 'Check the id and that every runner uses the same state store (--state).',
  },
  CORE_NOT_A_MIGRATION: {
    means:
      'The id names an address update, not a migration; it cannot be resumed, aborted or restored as one.',
    action: 'Continue an address update with `dlmigrate hybrid update-address --resume <id>`.',
  },
  CORE_NOT_PAST_POINT_OF_NO_RETURN: {
    means: 'Restore was asked for a migration that never disposed of the on-premises group.',
    action: 'Abort the migration instead: its undo puts everything back.',
  },
  CORE_NOTHING_TO_VERIFY: {
    means:
      'Verify was asked for a migration that has not reached its final cloud group yet (no take-over or conversion, no restore).',
    action: 'Resume the migration first; its own verify step runs at the end.',
  },
  CORE_PAST_POINT_OF_NO_RETURN: {
    means:
      'Abort was asked for a migration that has disposed of the on-premises group; it can only go forward.',
    action: 'Resume the migration to finish it, then restore it if the group must go back on-premises.',
  },
  CORE_LEASE_HELD: {
    means: 'Another runner holds the lease on this migration and is running it now.',
    action: 'Wait for that runner to finish (or for its lease to expire if it died), then try again.',
  },
  CORE_CAPTURE_INCOMPLETE: {
    means:
      'A backup the capture step writes is missing, so the migration has nothing to compare or restore from.',
    action: 'Resume the migration so that capture completes.',
  },
  CORE_STEP_RESULT_MISSING: {
    means: 'A step needs the result of an earlier step that has not completed.',
    action: 'Resume the migration from its journal; report a bug if it keeps happening.',
  },
  CORE_CLOUD_GROUP_MISSING: {
    means: 'The cloud DL this migration created or took over cannot be read in Exchange Online any more.',
    action:
      'Check the tenant for the group (its audit log says what removed it); resume once it is there again, or restore the migration.',
  },
  CORE_BATCH_NOT_PLANNED: {
    means: 'The batch has no stored layout (levels and groups), so no runner can work on it.',
    action: 'Plan the batch again with this version of dlmigrate.',
  },
  CORE_GROUP_MOVED: {
    means: 'The on-premises group is neither in its parking OU nor back in its original OU.',
    action: 'Find where the group went (someone moved it), move it to one of the two, then resume.',
  },
  CORE_SYNC_PENDING: {
    means:
      'The directory change was made, but the sync has not yet shown it in the cloud within the deadline.',
    action: 'Check that the sync runs (Entra Connect), then run the same command again to keep waiting.',
  },
  CORE_INVALID_ARGUMENT: {
    means:
      'A value handed to the engine cannot be used (an empty routing domain, an address without a domain, …).',
    action: 'Correct the value named in the message.',
  },
  STORED_DOCUMENT_INVALID: {
    means:
      'A document read back from the state store (options, batch layout, snapshot, report) does not have the expected form; the run stopped before changing anything.',
    action:
      'Use the dlmigrate version that wrote the state store, or restore the state store from a backup; report a bug if neither applies.',
  },
  BATCH_INPUT_INVALID: {
    means: 'The batch list or its options have problems; every one is listed, nothing was started.',
    action: 'Correct the listed lines of the input file (or the options) and plan the batch again.',
  },
  BLOCKED: {
    means: 'A run stopped on several findings at once; each finding has its own code in the report.',
    action: 'Read the findings in the report (`dlmigrate report <id>`); each says what to do.',
  },
  CSV_MALFORMED: {
    means: 'A CSV file cannot be read: a quoted field is never closed, or a row does not fit the header.',
    action: 'Open the file in a text editor at the line named in the message and correct the quoting.',
  },
  FILE_NOT_OWNER_ONLY: {
    means:
      'A file holding a secret (an SSH private key) can be read by other users, or cannot be read at all.',
    action: 'Make it owner-only (chmod 600 <file>) and owned by the user running dlmigrate.',
  },
  SYNC_TRIGGER_FAILED: {
    means:
      'The sync trigger did not work: the host was unreachable, the command failed or the endpoint refused.',
    action: 'Check sync.* in the configuration and `dlmigrate doctor`; the run log has the command output.',
  },
  SYNC_ALREADY_RUNNING: {
    means: 'The sync engine kept running an earlier cycle for longer than the trigger waits.',
    action: 'Run `dlmigrate resume` once the sync is idle (Get-ADSyncConnectorRunStatus returns nothing).',
  },
  SYNC_SSH_AUTH_FAILED: {
    means: "The Entra Connect server's SSH server refused the key.",
    action:
      "Add the public key to the account's authorized_keys on the server, or configure the right key file.",
  },
  SYNC_SSH_HOST_KEY_MISMATCH: {
    means: 'The SSH server presented a host key other than the pinned one; nothing was sent to it.',
    action:
      "Compare the server's host key with sync.hostKey; re-pin only after checking the key changed on purpose.",
  },
  SYNC_SSH_HOST_KEY_INVALID: {
    means: 'The pinned host key in the configuration cannot be read (MD5 fingerprint, marker line, bad key).',
    action:
      'Pin the host key as `ssh-keyscan` or `ssh-keygen -lf` prints it (a key line or SHA256:… fingerprint).',
  },
  SYNC_SSH_KEY_UNUSABLE: {
    means:
      'The SSH private key file is not owner-only, cannot be read, or cannot be parsed (wrong passphrase).',
    action: 'chmod 600 the key file and set DLMIGRATE_SSH_KEY_PASSPHRASE if the key is encrypted.',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type CoreErrorCode = keyof typeof CORE_ERROR_CODES;
