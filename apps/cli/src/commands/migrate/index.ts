// `dlmigrate migrate <group>`: one group, all options of the engine.
import type { Command } from 'commander';
import { addPasswordFlags } from '../../config/secrets.js';
import { addSettingFlags, MIGRATION_SETTINGS, SETTINGS } from '../../config/settings.js';
import { parseGroupAddresses } from '../../session/address.js';
import type { SecretFlags } from '../../session/run.js';
import type { ProgramState } from '../../program.js';
import { commandAction } from '../shared.js';

interface MigrateOptions extends SecretFlags {
  html?: string;
}

export function registerMigrateCommand(program: Command, state: ProgramState): void {
  const migrate = program
    .command('migrate')
    .description('migrate one group from on-premises AD to a cloud-managed group in Exchange Online')
    .argument('<group>', "the group's primary SMTP address, e.g. sales@contoso.com")
    .option('--html <file>', 'also write the report as a self-contained HTML file (mode 0600)')
    .addHelpText(
      'after',
      [
        '',
        'Options default to the config file\'s "migration" section; flags override it for this run.',
        'Exit code: 0 completed, 4 completed with warnings, 3 blocked (nothing changed), 1 failed (resume with dlmigrate resume <id>), 2 bad input, 130 stopped by Ctrl-C/SIGTERM (resume with dlmigrate resume <id>).',
        '',
        'Examples:',
        '  $ dlmigrate migrate sales@contoso.com',
        '  $ dlmigrate migrate sales@contoso.com --no-retain-original-group --hybrid-mail-flow --html sales.html',
        '  $ dlmigrate migrate sales@contoso.com --non-sync-ou "OU=NonSync,DC=contoso,DC=com" --json',
      ].join('\n'),
    );
  addPasswordFlags(addSettingFlags(addSettingFlags(migrate, MIGRATION_SETTINGS), SETTINGS)).action(
    commandAction(state, async (context, group: string, options: MigrateOptions) => {
      const [address] = parseGroupAddresses([group]);
      const { withSession, migrationOptions, eventPrinter, finishOutcome, withStopSignals } =
        await import('../../session/index.js');
      state.exitCode = await withSession(context, 'migrate', options, async ({ config, opened, log }) => {
        context.output.line(`Migrating ${address} (strategy ${config.migration.strategy})`);
        const outcome = await withStopSignals(context, (signal) =>
          opened.engine.migrate(address!, migrationOptions(config), {
            onEvent: eventPrinter(context, log.logger),
            signal,
          }),
        );
        return finishOutcome(context, outcome, options.html, log.logger);
      });
    }),
  );
}
