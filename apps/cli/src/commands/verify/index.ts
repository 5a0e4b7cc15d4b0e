// `dlmigrate verify <id>`: re-read the tenant and the directory and compare them with what the migration captured —
// the verify step again, on demand (after a restore: what the restore promised). Changes nothing but the findings,
// the status (a difference is never plain "completed") and the stored report.
import type { Command } from 'commander';
import { addPasswordFlags } from '../../config/secrets.js';
import { addSettingFlags, SETTINGS } from '../../config/settings.js';
import type { SecretFlags } from '../../session/index.js';
import { ExitCode } from '../../exit-codes.js';
import type { ProgramState } from '../../program.js';
import { sessionAction } from '../shared.js';
import { findingLine } from '../../output/finding.js';

export function registerVerifyCommand(program: Command, state: ProgramState): void {
  const verify = program
    .command('verify')
    .description(
      'compare the tenant and the directory with what a migration captured: every member, address, setting, link, permission and dependant',
    )
    .argument('<id>', 'migration id (dlmigrate status lists them)')
    .addHelpText(
      'after',
      [
        '',
        'Prints "N values checked, M differences"; each difference is a VERIFY_DIFFERENCE finding naming the object and',
        'the attribute. Exit code 0 no difference, 1 differences found.',
        '',
        'Examples:',
        '  $ dlmigrate verify 01JDQ6Z8M4',
        '  $ dlmigrate verify 01JDQ6Z8M4 --json',
      ].join('\n'),
    );
  addPasswordFlags(addSettingFlags(verify, SETTINGS)).action(
    sessionAction(state, 'verify', async ({ context, session }, id: string, _options: SecretFlags) => {
      const { state: store } = session.opened.deps;
      // An unknown id or an unfinished migration is refused by the engine with a coded error
      // (CORE_MIGRATION_NOT_FOUND, CORE_NOTHING_TO_VERIFY: exit 2, nothing changed).
      const result = await session.opened.engine.verify(id);
      session.log.logger.info(result, 'verify');
      const findings = (await store.listFindings(id)).filter(
        (e) => e.code === 'VERIFY_DIFFERENCE' && (e.step === 'verify' || e.step === 'restore-verify'),
      );
      context.output.json({
        ok: result.differences === 0,
        migrationId: id,
        ...result,
        findings,
      });
      context.output.line(
        `Migration ${id}: ${result.summary} (status ${result.status.replaceAll('_', ' ')})`,
      );
      for (const f of findings) context.output.status(...findingLine(f));
      return result.differences === 0 ? ExitCode.Succeeded : ExitCode.Failed;
    }),
  );
}
