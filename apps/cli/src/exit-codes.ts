// The one place the process exit codes are defined. Scripts and schedulers branch on these, so the
// numbers are part of the public interface: never renumber, only add.

export const ExitCode = {
  /** Everything asked for was done. */
  Succeeded: 0,
  /** Something was attempted and failed (a step, a check, a call); see the output for the cause. */
  Failed: 1,
  /** Bad input: unknown option, malformed value, invalid configuration. Nothing was changed. */
  Usage: 2,
  /** Stopped by blocking findings before anything changed (a migration's validate gate, a failed pre-flight). */
  Blocked: 3,
  /** Done, but with warnings that need an administrator's attention (needs-action findings, doctor warnings). */
  CompletedWithWarnings: 4,
  /**
   * Stopped by Ctrl-C (SIGINT) or SIGTERM: the call in flight was finished or a wait abandoned, the journal is
   * written, and `dlmigrate resume <id>` continues (the shell's 128 + SIGINT).
   */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Errors that mean the command was asked for something that cannot be done (nothing was changed): a usage error,
 * not a failure. Every other coded error is a failure (exit 1).
 */
const USAGE_ERROR_CODES: ReadonlySet<string> = new Set([
  'CORE_MIGRATION_NOT_FOUND',
  'CORE_ADDRESS_UPDATE_NOT_FOUND',
  'CORE_BATCH_NOT_FOUND',
  'CORE_NOT_A_MIGRATION',
  'CORE_NOT_PAST_POINT_OF_NO_RETURN',
  'CORE_PAST_POINT_OF_NO_RETURN',
  'CORE_NOTHING_TO_VERIFY',
]);

/** The exit code for an error with a stable code (docs/errors.md). */
export function exitCodeForError(code: string): ExitCode {
  return USAGE_ERROR_CODES.has(code) ? ExitCode.Usage : ExitCode.Failed;
}

/** Shown at the end of `dlmigrate --help`. */
export const exitCodeHelp = [
  'Exit codes:',
  `  ${ExitCode.Succeeded}  succeeded`,
  `  ${ExitCode.Failed}  failed (something was attempted and did not work)`,
  `  ${ExitCode.Usage}  bad input or usage (nothing was changed)`,
  `  ${ExitCode.Blocked}  blocked (blocking findings; nothing was changed)`,
  `  ${ExitCode.CompletedWithWarnings}  completed with warnings (needs an administrator's attention)`,
  `  ${ExitCode.Interrupted}  stopped by Ctrl-C or SIGTERM (journaled; the command printed continues it)`,
].join('\n');
