// What every sync trigger shares: its error (with a stable code per cause) and the run-log entry that
// records what a trigger did (an external command's or remote command's output included).

import { CoreError } from '../errors/core-error.js';

export type SyncTriggerErrorCode =
  /** The trigger did not work: unreachable, the command failed, the endpoint refused. */
  | 'SYNC_TRIGGER_FAILED'
  /** The sync engine kept running an earlier cycle for longer than the trigger waits. */
  | 'SYNC_ALREADY_RUNNING'
  /** The SSH server refused the key. */
  | 'SYNC_SSH_AUTH_FAILED'
  /** The SSH server's host key is not the pinned one: nothing was sent. */
  | 'SYNC_SSH_HOST_KEY_MISMATCH'
  /** The SSH private key file is not owner-only, cannot be read or cannot be parsed. */
  | 'SYNC_SSH_KEY_UNUSABLE';

export class SyncTriggerError extends CoreError {
  declare readonly code: SyncTriggerErrorCode;
  /** The trigger may work if asked again: the endpoint was unreachable, busy (429) or failing (5xx). */
  readonly transient: boolean;
  constructor(
    message: string,
    options: { code?: SyncTriggerErrorCode; cause?: unknown; transient?: boolean } = {},
  ) {
    const { transient, ...rest } = options;
    super(options.code ?? 'SYNC_TRIGGER_FAILED', message, rest);
    this.transient = transient === true;
  }
}

/** One run of an external or remote sync command, for the run log. */
export interface SyncTriggerLogEntry {
  readonly kind: 'command' | 'ssh';
  /** The program (command) or user@host:port (ssh). */
  readonly target: string;
  readonly command: string;
  readonly attempt: number;
  readonly outcome: 'accepted' | 'busy' | 'failed';
  readonly exitCode: number | null;
  readonly signal?: string;
  /** The last 16 KiB of each stream. */
  readonly stdout: string;
  readonly stderr: string;
}
