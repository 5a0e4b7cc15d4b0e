// `dlmigrate plan <group…>`: read-only pre-flight — blockers and the changes a migration would make.
import type { Command } from 'commander';
import { addPasswordFlags } from '../../config/secrets.js';
import { addSettingFlags, MIGRATION_SETTINGS, SETTINGS } from '../../config/settings.js';
import { parseGroupAddresses } from '../../session/address.js';
import { readGroupFile } from '../../session/group-file.js';
import type { SecretFlags } from '../../session/index.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { ProgramState } from '../../program.js';
import { commandAction } from '../shared.js';
import { severityStatus } from '../../output/finding.js';

export function registerPlanCommand(program: Command, state: ProgramState): void {
  const plan = program
    .command('plan')
    .description(
      'read-only pre-flight: every blocker, and every change a migration would make (changes nothing)',
    )
    .argument('[groups...]', 'primary SMTP addresses of the groups')
    .option(
      '-f, --file <file>',
      'a list (one address a line) or a CSV export with an address column, as for batch',
    )
    .option('--csv <file>', 'also write one row per group as CSV (the file batch --file reads back)')
    .addHelpText(
      'after',
      [
        '',
        'Each plan is recorded as a planned migration; `dlmigrate resume <id>` carries out a plan without blockers.',
        'For several groups it also shows the batch layout: the nesting level each group would run in (children',
        'first), and the groups a batch could not run (membership cycles, child groups outside the set).',
        'Exit code: 0 no blockers, 3 at least one group is blocked, 2 bad input.',
        '',
        'Examples:',
        '  $ dlmigrate plan sales@contoso.com',
        '  $ dlmigrate plan sales@contoso.com allstaff@contoso.com --json',
        '  $ dlmigrate plan --file wave1.csv',
        '  $ dlmigrate plan --file candidates.txt --csv wave1.csv   # edit in Excel, then: dlmigrate batch --file wave1.csv',
      ].join('\n'),
    );
  addPasswordFlags(addSettingFlags(addSettingFlags(plan, MIGRATION_SETTINGS), SETTINGS)).action(
    commandAction(
      state,
      async (context, groups: string[], options: SecretFlags & { file?: string; csv?: string }) => {
        const addresses = await planAddresses(groups, options.file, context.io.cwd);
        const engine = await import('../../session/index.js');
        state.exitCode = await engine.withSession(context, 'plan', options, async (session) => {
          const { output } = context;
          const plans = [];
          for (const address of addresses) {
            const planned = await session.opened.engine.plan(
              address,
              engine.migrationOptions(session.config),
            );
            session.log.logger.info(
              {
                migrationId: planned.migrationId,
                group: address,
                status: planned.status,
                findings: planned.findings.map((f) => f.code),
              },
              'planned',
            );
            plans.push({ address, ...planned });
            output.line();
            output.status(
              planned.status === 'blocked' ? 'fail' : 'ok',
              `${address}  ${planned.status}`,
              `migration ${planned.migrationId}`,
            );
            for (const f of planned.findings) {
              output.status(
                severityStatus(f.severity),
                `  ${f.code}  ${f.subject}`,
                `${f.message} — ${f.action}`,
              );
            }
            for (const change of planned.changes)
              output.line(
                `    ${change.step.padEnd(16)} ${change.side.padEnd(12)} ${change.object}: ${change.action}`,
              );
            if (planned.verifies.length > 0) {
              const total = planned.verifies.reduce((n, c) => n + c.values, 0);
              output.line(
                `    ${'verify'.padEnd(16)} ${total} values, compared with the capture once the migration is done:`,
              );
              for (const check of planned.verifies)
                output.line(
                  `    ${''.padEnd(16)} ${check.side.padEnd(12)} ${check.object}: ${check.attribute} (${check.values})${check.after === 'final-sync' ? ', synced copy, after the final sync' : ''}`,
                );
            }
          }
          // One group is no batch; a file is meant as one, even with a single line.
          const batch = addresses.length > 1 || options.file !== undefined;
          // Loaded on demand, like every engine module: --help stays fast.
          const { printPlanLayout } = await import('../../session/batch-layout.js');
          const { planLayout, batchPlanBlocked } = await import('@dlmigrate/core');
          const layout = batch
            ? await planLayout(session.opened.deps.ad, addresses, engine.migrationOptions(session.config))
            : undefined;
          if (layout !== undefined) printPlanLayout(context, layout);
          const blocked = layout?.layout
            ? batchPlanBlocked(plans, layout.layout)
            : plans.some((p) => p.status === 'blocked') || layout !== undefined;
          const csv =
            options.csv === undefined
              ? undefined
              : await (
                  await import('../../csv/plan-csv.js')
                ).writePlanCsv(options.csv, context.io.cwd, session, plans, layout?.layout);
          output.json({
            ok: !blocked,
            ...(csv !== undefined ? { csv } : {}),
            plans,
            ...(layout !== undefined ? { layout: layout.layout, layoutProblems: layout.problems } : {}),
          });
          if (csv !== undefined) output.line(`CSV: ${csv}`);
          return blocked ? ExitCode.Blocked : ExitCode.Succeeded;
        });
      },
    ),
  );
}

/** The addresses from the arguments or from a file (checked by core's list parser, the one batch uses). */
async function planAddresses(
  groups: readonly string[],
  file: string | undefined,
  cwd: string,
): Promise<string[]> {
  if (groups.length > 0 === (file !== undefined))
    throw new UsageError('Give the groups as arguments or --file — exactly one of them.');
  if (file === undefined) return parseGroupAddresses(groups);
  const { parseGroupList } = await import('@dlmigrate/core');
  const list = parseGroupList(readGroupFile(file, cwd));
  const problems = list.problems.filter((p) => p.severity === 'blocking');
  if (problems.length > 0) {
    throw new UsageError(
      `${file} cannot be planned; nothing was changed.`,
      problems.map(
        (p) =>
          `${p.line > 0 ? `line ${p.line}: ` : ''}${p.value ? `${p.value}: ` : ''}${p.code}: ${p.message}`,
      ),
    );
  }
  return list.groups.map((g) => g.address);
}
