import { ExitCode, exitCodeForError } from './exit-codes.js';

/** An error the command line reports to the user as-is (no stack) with a given exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** Every individual problem, when there are several (listed one per line). */
    readonly problems: readonly string[] = [],
    /** The stable code of the error this reports (docs/errors.md), when it has one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * An error from core, ad, exo or state that carries a stable code (every package's errors do, see docs/errors.md),
 * reported as its message, its code and what to do; the exit code comes from the code, never from the message.
 */
export function fromCodedError(error: unknown, isErrorCode: (code: string) => boolean): CliError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, hint } = error as { code?: unknown; hint?: unknown };
  if (typeof code !== 'string' || !isErrorCode(code)) return undefined;
  const problems = typeof hint === 'string' && hint !== '' ? [hint] : [];
  return new CliError(error.message, exitCodeForError(code), problems, code);
}

/** Bad input: the user has to change the command line, the environment or the config file. */
export class UsageError extends CliError {
  constructor(message: string, problems: readonly string[] = []) {
    super(message, ExitCode.Usage, problems);
    this.name = 'UsageError';
  }
}
