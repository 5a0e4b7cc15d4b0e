// `dlmigrate resume <id>`: continue an interrupted, failed or parked migration from its journal.
import type { Command } from 'commander';
import { addPasswordFlags } from '../../config/secrets.js';
import { addSettingFlags, SETTINGS } from '../../config/settings.js';
import type { SecretFlags } from '../../session/run.js';
import type { ProgramState } from '../../program.js';
import { sessionAction } from '../shared.js';

interface ResumeOptions extends SecretFlags {
  html?: string;
}

export function registerResumeCommand(program: Command, state: ProgramState): void {
  const resume = program
    .command('resume')
    .description('continue a migration from where it stopped (after a crash, a failure or a deadline)')
    .argument('<id>', 'migration id (dlmigrate status lists them)')
    .option('--html <file>', 'also write the report as a self-contained HTML file (mode 0600)')
    .addHelpText(
      'after',
      [
        '',
        'The migration keeps the options it was started with; each step already done is not repeated.',
        '',
        'Examples:',
        '  $ dlmigrate resume 01JDQ6Z8M4',
        '  $ dlmigrate resume 01JDQ6Z8M4 --json',
      ].join('\n'),
    );
  addPasswordFlags(addSettingFlags(resume, SETTINGS)).action(
    sessionAction(
      state,
      'resume',
      async ({ context, session, module }, id: string, options: ResumeOptions) => {
        const { opened, log } = session;
        const { eventPrinter, finishOutcome, withStopSignals } = module;
        // An unknown id is refused by the engine (CORE_MIGRATION_NOT_FOUND: exit 2, nothing changed).
        context.output.line(`Resuming ${id}`);
        const outcome = await withStopSignals(context, (signal) =>
          opened.engine.resume(id, { onEvent: eventPrinter(context, log.logger), signal }),
        );
        return finishOutcome(context, outcome, options.html, log.logger);
      },
    ),
  );
}
