import { ExitCode } from './exit-codes.js';

/** An error the command line reports to the user as-is (no stack) with a given exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** Every individual problem, when there are several (listed one per line). */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad input: the user has to change the command line, the environment or the config file. */
export class UsageError extends CliError {
  constructor(message: string, problems: readonly string[] = []) {
    super(message, ExitCode.Usage, problems);
    this.name = 'UsageError';
  }
}
