// The command tree. Each command lives in its own folder under commands/ and registers itself on the
// program; this file only wires them and turns every failure into a message plus an exit code.
import { Command, CommanderError } from 'commander';
import { registerAuthCommands } from './commands/auth/index.js';
import { registerConfigCommands } from './commands/config/index.js';
import { registerDoctorCommand } from './commands/doctor/index.js';
import { registerBatchCommand } from './commands/batch/index.js';
import { registerHybridCommands } from './commands/hybrid/index.js';
import { registerPlanCommand } from './commands/plan/index.js';
import { registerRestoreCommand } from './commands/restore/index.js';
import { registerVerifyCommand } from './commands/verify/index.js';
import { registerCollectCommand } from './commands/collect/index.js';
import { registerLabCommands } from './commands/lab/index.js';
import { registerMigrateCommand } from './commands/migrate/index.js';
import { registerResumeCommand } from './commands/resume/index.js';
import { registerStatusCommand } from './commands/status/index.js';
import { registerReportCommand } from './commands/report/index.js';
import { createOutput, processIo, type Io } from './context.js';
import { CliError, fromCodedError } from './errors.js';
import { ExitCode, exitCodeHelp } from './exit-codes.js';
import { Redactor } from './output/redact.js';
import { VERSION } from './version.js';

/** Shared by the commands: gives the action its context and records its exit code. */
export interface ProgramState {
  readonly io: Io;
  readonly redactor: Redactor;
  exitCode: ExitCode;
  /** Set (to '') when --json is on the command line: commander's error text is collected here instead of printed. */
  usageText?: string;
}

export function createProgram(state: ProgramState): Command {
  const program = new Command('dlmigrate')
    .description(
      'Migrate on-premises distribution lists and mail-enabled security groups to Exchange Online.',
    )
    .version(VERSION, '-V, --version')
    .option(
      '-c, --config <file>',
      'config file (default: dlmigrate.config.json|.yaml|.yml in the working directory) [DLMIGRATE_CONFIG]',
    )
    .option('--json', 'print one JSON document for automation instead of text')
    .option('-v, --verbose', 'more detail on stderr and debug entries in the run log')
    .option('--no-color', 'no colours even on a terminal')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => state.io.stdout.write(text),
      // With --json a usage error becomes one JSON document (runCli); commander's text is kept for its message.
      writeErr: (text) =>
        state.usageText === undefined ? state.io.stderr.write(text) : void (state.usageText += text),
    })
    .addHelpText(
      'after',
      [
        '',
        'Configuration is read from the config file, then DLMIGRATE_* environment variables, then flags (flags win).',
        'Secrets come only from DLMIGRATE_AD_PASSWORD / DLMIGRATE_PFX_PASSPHRASE or an interactive prompt.',
        '',
        exitCodeHelp,
      ].join('\n'),
    );

  registerPlanCommand(program, state);
  registerMigrateCommand(program, state);
  registerBatchCommand(program, state);
  registerResumeCommand(program, state);
  registerStatusCommand(program, state);
  registerHybridCommands(program, state);
  registerRestoreCommand(program, state);
  registerVerifyCommand(program, state);
  registerCollectCommand(program, state);
  registerAuthCommands(program, state);
  registerConfigCommands(program, state);
  registerDoctorCommand(program, state);
  registerLabCommands(program, state);
  registerReportCommand(program, state);
  return program;
}

/** Runs the command line and returns the exit code (the process sets it; nothing calls process.exit). */
export async function runCli(argv: readonly string[], io: Io = processIo()): Promise<ExitCode> {
  const json = argv.includes('--json');
  const state: ProgramState = {
    io,
    redactor: new Redactor(),
    exitCode: ExitCode.Succeeded,
    ...(json ? { usageText: '' } : {}),
  };
  const program = createProgram(state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; everything else commander rejects is a usage error,
      // and commander has already printed its message (with --json: it is printed here, as JSON).
      const succeeded =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0;
      if (!succeeded && state.usageText !== undefined) {
        const message = (state.usageText.split('\n').find((l) => l.startsWith('error:')) ?? error.message)
          .replace(/^error:\s*/, '')
          .trim();
        io.stdout.write(
          `${JSON.stringify({ ok: false, exitCode: ExitCode.Usage, code: error.code, error: message, problems: [] })}\n`,
        );
      } else if (state.usageText) {
        io.stderr.write(state.usageText);
      }
      return succeeded ? ExitCode.Succeeded : ExitCode.Usage;
    }
    const output = createOutput(io, state.redactor, program.opts());
    if (error instanceof CliError) {
      output.error(error);
      return error.exitCode;
    }
    // Loaded only here: the error tables live in core, which a command like --help never needs.
    const { isErrorCode } = await import('@dlmigrate/core');
    const coded = fromCodedError(error, isErrorCode);
    if (coded !== undefined) {
      output.error(coded);
      if (program.opts().verbose === true && error instanceof Error && error.stack) output.debug(error.stack);
      return coded.exitCode;
    }
    output.error(
      new CliError(
        `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
        ExitCode.Failed,
      ),
    );
    if (program.opts().verbose === true && error instanceof Error && error.stack) output.debug(error.stack);
    return ExitCode.Failed;
  }
}
