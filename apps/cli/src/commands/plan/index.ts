// `dlmigrate plan <group…>`: read-only pre-flight — blockers and the changes a migration would make.
import type { Command } from 'commander';
import { addPasswordFlags } from '../../config/secrets.js';
import { addSettingFlags, MIGRATION_SETTINGS, SETTINGS } from '../../config/settings.js';
import { createContext } from '../../context.js';
import { parseGroupAddresses } from '../../engine/address.js';
import type { SecretFlags } from '../../engine/index.js';
import { ExitCode } from '../../exit-codes.js';
import type { ProgramState } from '../../program.js';

export function registerPlanCommand(program: Command, state: ProgramState): void {
  const plan = program
    .command('plan')
    .description('read-only pre-flight: every blocker, and every change a migration would make (changes nothing)')
    .argument('<groups...>', 'primary SMTP addresses of the groups')
    .addHelpText(
      'after',
      [
        '',
        'Each plan is recorded as a planned migration; `dlmigrate resume <id>` carries out a plan without blockers.',
        'Exit code: 0 no blockers, 3 at least one group is blocked, 2 bad input.',
        '',
        'Examples:',
        '  $ dlmigrate plan sales@contoso.com',
        '  $ dlmigrate plan sales@contoso.com allstaff@contoso.com --json',
      ].join('\n'),
    );
  addPasswordFlags(addSettingFlags(addSettingFlags(plan, MIGRATION_SETTINGS), SETTINGS)).action(
    async (groups: string[], options: SecretFlags, command: Command) => {
      const context = createContext(command, state.io, state.redactor);
      const addresses = parseGroupAddresses(groups);
      const engine = await import('../../engine/index.js');
      state.exitCode = await engine.withSession(context, 'plan', options, async (session) => {
        const { output } = context;
        const plans = [];
        for (const address of addresses) {
          const planned = await session.opened.engine.plan(address, engine.migrationOptions(session.config));
          session.log.logger.info({ migrationId: planned.migrationId, group: address, status: planned.status, findings: planned.findings.map((f) => f.code) }, 'planned');
          plans.push({ address, ...planned });
          output.line();
          output.status(planned.status === 'blocked' ? 'fail' : 'ok', `${address}  ${planned.status}`, `migration ${planned.migrationId}`);
          for (const f of planned.findings) {
            output.status(f.severity === 'blocking' ? 'fail' : f.severity === 'needs-action' ? 'warn' : 'info', `  ${f.code}  ${f.subject}`, `${f.message} — ${f.action}`);
          }
          for (const change of planned.changes) output.line(`    ${change.step.padEnd(16)} ${change.side.padEnd(12)} ${change.object}: ${change.action}`);
        }
        output.json({ ok: plans.every((p) => p.status !== 'blocked'), plans });
        return plans.some((p) => p.status === 'blocked') ? ExitCode.Blocked : ExitCode.Succeeded;
      });
    },
  );
}
