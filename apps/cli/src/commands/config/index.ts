// `dlmigrate config show`: the configuration in effect after merging file, environment and flags,
// with where each value came from. Secrets are never part of the configuration, so nothing is hidden here.
import type { Command } from 'commander';
import { addSettingFlags } from '../../config/settings.js';
import type { ProgramState } from '../../program.js';
import { commandAction } from '../shared.js';

export function registerConfigCommands(program: Command, state: ProgramState): void {
  const config = program.command('config').description('inspect the configuration');
  const show = config
    .command('show')
    .description('validate the configuration and print it as in effect (file < environment < flags)')
    .addHelpText(
      'after',
      [
        '',
        'Exit code 2 and a list of every problem when the configuration is not valid.',
        '',
        'Examples:',
        '  $ dlmigrate config show',
        '  $ DLMIGRATE_AD_URL=ldaps://dc2.contoso.com:636 dlmigrate config show --json',
        '  $ dlmigrate config show --config lab/dlmigrate.config.json --non-sync-ou "OU=Parked,DC=contoso,DC=com"',
      ].join('\n'),
    );
  addSettingFlags(show).action(
    commandAction(state, async (context, _options: unknown) => {
      const loaded = context.loadConfig();
      const origins = Object.fromEntries([...loaded.origins].sort(([a], [b]) => a.localeCompare(b)));
      context.output.json({ ok: true, file: loaded.file ?? null, config: loaded.config, origins });
      context.output.line(`Config file: ${loaded.file ?? '(none found)'}`);
      for (const text of JSON.stringify(loaded.config, null, 2).split('\n')) context.output.line(text);
      context.output.line();
      context.output.line('Set explicitly by:');
      for (const [path, origin] of Object.entries(origins)) context.output.line(`  ${path}  ← ${origin}`);
    }),
  );
}
