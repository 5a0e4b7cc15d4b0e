// `dlmigrate restore <id|group>`: put a migrated group back on-premises as it was captured.
import type { Command } from 'commander';
import { addPasswordFlags } from '../../config/secrets.js';
import { addSettingFlags, SETTINGS } from '../../config/settings.js';
import { addressProblem } from '../../session/address.js';
import type { SecretFlags } from '../../session/index.js';
import type { RestorePreview } from '@dlmigrate/core';
import type { CommandContext } from '../../context.js';
import { UsageError, type CliError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { ProgramState } from '../../program.js';
import { sessionAction } from '../shared.js';

export function registerRestoreCommand(program: Command, state: ProgramState): void {
  const restore = program
    .command('restore')
    .description(
      'undo a finished migration: the on-premises group back as captured, the cloud DL removed for the sync to take it back',
    )
    .argument(
      '<id|group>',
      "migration id, or the group's address (its latest migration that passed the point of no return)",
    )
    .addHelpText(
      'after',
      [
        '',
        'Shows the changes it will make first (objects, attributes, before → after), then asks; off a terminal, and',
        'with --json, it needs --yes (without it nothing is changed, exit 2).',
        'Journaled: an interrupted restore continues where it stopped when run again. Exit code 0 restored, 1 interrupted,',
        '2 not confirmed or bad input (nothing changed), 130 stopped by Ctrl-C/SIGTERM (run it again to continue).',
        '',
        'Examples:',
        '  $ dlmigrate restore 01JDQ6Z8M4',
        '  $ dlmigrate restore sales@contoso.com --yes --json',
      ].join('\n'),
    );
  addPasswordFlags(addSettingFlags(restore, SETTINGS))
    .option(
      '-y, --yes',
      'restore without asking (needed when standard input is not a terminal, and with --json)',
    )
    .action(
      sessionAction(
        state,
        'restore',
        async ({ context, session, module: engine }, target: string, options: RestoreOptions) => {
          let id = target;
          if (target.includes('@')) {
            const problem = addressProblem(target);
            if (problem !== undefined)
              throw new UsageError(`${JSON.stringify(target)} ${problem}; nothing was changed.`);
            const restorable = await session.opened.engine.findRestorable(target);
            if (restorable === null)
              throw new UsageError(`No finished migration of ${target} to restore; nothing was changed.`, [
                'dlmigrate status lists the migrations',
              ]);
            id = restorable.id;
          }
          // An unknown id, or a migration not yet past its point of no return, is refused here already with a
          // coded error (CORE_MIGRATION_NOT_FOUND, CORE_NOT_PAST_POINT_OF_NO_RETURN: exit 2, nothing changed).
          const preview = await session.opened.engine.restorePreview(id);
          printPreview(context, preview);
          const refusal = await confirmation(context, preview, options.yes === true);
          if (refusal !== undefined) {
            // One document in --json mode: the refusal carries the preview.
            if (context.output.mode === 'json') context.output.json({ ...errorDocument(refusal), preview });
            else context.output.error(refusal);
            return refusal.exitCode;
          }
          const outcome = await engine.withStopSignals(context, (signal) =>
            session.opened.engine.restore(id, {
              onEvent: engine.eventPrinter(context, session.log.logger),
              signal,
            }),
          );
          session.log.logger.info(outcome, 'restore');
          context.output.json({ ok: outcome.status === 'restored', ...outcome, preview });
          context.output.line(
            `Migration ${id}: ${outcome.status}${outcome.step ? ` at ${outcome.step}` : ''}${outcome.error ? ` — ${outcome.error}` : ''}`,
          );
          if (outcome.verification !== undefined) context.output.line(`  ${outcome.verification.summary}`);
          if (outcome.stopped !== undefined) {
            context.output.line(
              `Stopped (${outcome.stopped}); the journal is written. Continue with: dlmigrate restore ${id} --yes`,
            );
            return ExitCode.Interrupted;
          }
          if (outcome.status !== 'restored') {
            context.output.line(`Run \`dlmigrate restore ${id}\` again to continue.`);
            return ExitCode.Failed;
          }
          if ((outcome.needsAction ?? 0) > 0) {
            // Back on-premises, but not everything as captured (e.g. a dependant left unrewired): say so, exit 4.
            context.output.line(
              `  ${outcome.needsAction} needs-action finding(s) from the restore: see \`dlmigrate report ${id}\``,
            );
            return ExitCode.CompletedWithWarnings;
          }
          return ExitCode.Succeeded;
        },
      ),
    );
}

interface RestoreOptions extends SecretFlags {
  yes?: boolean;
}

/** The changes, one line each as `plan` shows them: step, side, object, then attribute: before → after. */
function printPreview(context: CommandContext, preview: RestorePreview): void {
  const { output } = context;
  output.line(
    `Restoring migration ${preview.migrationId} of ${preview.group} (strategy ${preview.strategy}) will make ${preview.changes.length} change${preview.changes.length === 1 ? '' : 's'}:`,
  );
  for (const change of preview.changes)
    output.line(`    ${change.step.padEnd(22)} ${change.side.padEnd(12)} ${change.object}: ${change.action}`);
}

/**
 * Undefined when the restore may go ahead: --yes, or a person at the terminal who answered yes. Off a terminal (or
 * with --json) without --yes the restore is refused, changing nothing: a script must say it means it.
 */
async function confirmation(
  context: CommandContext,
  preview: RestorePreview,
  yes: boolean,
): Promise<CliError | undefined> {
  if (yes) return undefined;
  const again = `dlmigrate restore ${preview.migrationId} --yes`;
  if (!context.interactive)
    return new UsageError(
      `Restore of ${preview.group} not confirmed: standard input is not a terminal (or --json is set) and --yes was not given; nothing was changed.`,
      [`check the changes listed, then run: ${again}`],
    );
  const answer = await context.io.ask(`Restore ${preview.group} with these changes? [y/N] `);
  if (/^y(es)?$/i.test(answer.trim())) return undefined;
  return new UsageError(`Restore of ${preview.group} cancelled; nothing was changed.`, [
    `to restore later: ${again}`,
  ]);
}

function errorDocument(error: CliError) {
  return { ok: false, exitCode: error.exitCode, error: error.message, problems: error.problems };
}
