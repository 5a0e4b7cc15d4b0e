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
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Shown at the end of `dlmigrate --help`. */
export const exitCodeHelp = [
  'Exit codes:',
  `  ${ExitCode.Succeeded}  succeeded`,
  `  ${ExitCode.Failed}  failed (something was attempted and did not work)`,
  `  ${ExitCode.Usage}  bad input or usage (nothing was changed)`,
  `  ${ExitCode.Blocked}  blocked (blocking findings; nothing was changed)`,
  `  ${ExitCode.CompletedWithWarnings}  completed with warnings (needs an administrator's attention)`,
].join('\n');
