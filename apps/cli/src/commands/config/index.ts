// `dlmigrate config show`: the configuration in effect after merging file, environment and flags,
// with where each value came from. Secrets are not part of the configuration — except a password someone wrote into
// a URL (state.url = postgres://user:password@host/db): that one is shown as *** (maskUrlPasswords).
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
      const shown = maskUrlPasswords(loaded.config, (password) => state.redactor.add(password));
      const origins = Object.fromEntries([...loaded.origins].sort(([a], [b]) => a.localeCompare(b)));
      context.output.json({ ok: true, file: loaded.file ?? null, config: shown, origins });
      context.output.line(`Config file: ${loaded.file ?? '(none found)'}`);
      for (const text of JSON.stringify(shown, null, 2).split('\n')) context.output.line(text);
      context.output.line();
      context.output.line('Set explicitly by:');
      for (const [path, origin] of Object.entries(origins)) context.output.line(`  ${path}  ← ${origin}`);
    }),
  );
}

/** A copy of `value` in which every URL's password is "***"; each password found is handed to `found`. */
function maskUrlPasswords<T>(value: T, found: (password: string) => void): T {
  if (typeof value === 'string') {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value)) return value;
    try {
      const url = new URL(value);
      if (url.password === '') return value;
      found(decodeURIComponent(url.password));
      found(url.password);
      url.password = '***';
      return url.toString() as T;
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((v: unknown) => maskUrlPasswords(v, found)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, maskUrlPasswords(v as unknown, found)]),
    ) as T;
  }
  return value;
}
