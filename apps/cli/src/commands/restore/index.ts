// `dlmigrate restore <id|group>`: put a migrated group back on-premises as it was captured.
import type { Command } from 'commander';
import { addPasswordFlags } from '../../config/secrets.js';
import { addSettingFlags, SETTINGS } from '../../config/settings.js';
import { addressProblem } from '../../session/address.js';
import type { SecretFlags } from '../../session/index.js';
import { UsageError } from '../../errors.js';
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
        'Journaled: an interrupted restore continues where it stopped when run again. Exit code 0 restored, 1 interrupted.',
        '',
        'Examples:',
        '  $ dlmigrate restore 01JDQ6Z8M4',
        '  $ dlmigrate restore sales@contoso.com --json',
      ].join('\n'),
    );
  addPasswordFlags(addSettingFlags(restore, SETTINGS)).action(
    sessionAction(
      state,
      'restore',
      async ({ context, session, module: engine }, target: string, _options: SecretFlags) => {
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
        // An unknown id, or a migration not yet past its point of no return, is refused by the engine with a
        // coded error (CORE_MIGRATION_NOT_FOUND, CORE_NOT_PAST_POINT_OF_NO_RETURN: exit 2, nothing changed).
        const outcome = await session.opened.engine.restore(id, {
          onEvent: engine.eventPrinter(context, session.log.logger),
        });
        session.log.logger.info(outcome, 'restore');
        context.output.json({ ok: outcome.status === 'restored', ...outcome });
        context.output.line(
          `Migration ${id}: ${outcome.status}${outcome.step ? ` at ${outcome.step}` : ''}${outcome.error ? ` — ${outcome.error}` : ''}`,
        );
        if (outcome.verification !== undefined) context.output.line(`  ${outcome.verification.summary}`);
        if (outcome.status !== 'restored')
          context.output.line(`Run \`dlmigrate restore ${id}\` again to continue.`);
        return outcome.status === 'restored' ? ExitCode.Succeeded : ExitCode.Failed;
      },
    ),
  );
}
