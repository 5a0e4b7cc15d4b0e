// `dlmigrate batch <group…|--file groups.csv>`: many groups, children before parents, one sync per wave.
import type { Command } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import { addPasswordFlags } from '../../config/secrets.js';
import { addSettingFlags, MIGRATION_SETTINGS, SETTINGS } from '../../config/settings.js';
import { readGroupFile } from '../../session/group-file.js';
import type { BatchInput, SecretFlags } from '../../session/index.js';
import { UsageError } from '../../errors.js';
import type { ProgramState } from '../../program.js';
import { commandAction } from '../shared.js';
import { renderReportHtml } from '../../report/html.js';
import { writeOwnerOnly } from '../../output/owner-only-file.js';

interface BatchOptions extends SecretFlags {
  file?: string;
  id?: string;
  resume?: string;
  html?: string;
}

export function registerBatchCommand(program: Command, state: ProgramState): void {
  const batch = program
    .command('batch')
    .description(
      'migrate many groups: child groups first, one directory sync per wave, every group on its own',
    )
    .argument('[groups...]', 'primary SMTP addresses of the groups')
    .option('-f, --file <file>', 'a list (one address a line) or a CSV export with an address column')
    .option('--id <id>', 'batch id to use (default: generated)')
    .option(
      '--resume <batchId>',
      'continue a batch that was interrupted (any runner sharing the state store can); groups rolled back for a transient cause or at a deadline the service missed, or whose undo met a transient cause, are tried again',
    )
    .option('--html <file>', 'write the batch report as a self-contained HTML file (mode 0600)')
    .addHelpText(
      'after',
      [
        '',
        'The list is checked as a whole first (malformed or duplicate addresses, unknown groups, loops): every problem is',
        'listed and nothing starts. Exit code: 0 all completed, 4 some with warnings, 3 some blocked, 1 some failed,',
        '130 stopped by Ctrl-C/SIGTERM (groups in flight stop at a safe point; continue with --resume <batchId>).',
        '',
        'Examples:',
        '  $ dlmigrate batch sales@contoso.com salesadmins@contoso.com',
        '  $ dlmigrate batch --file wave1.csv --html wave1.html',
        '  $ dlmigrate batch --resume wave1',
      ].join('\n'),
    );
  addPasswordFlags(addSettingFlags(addSettingFlags(batch, MIGRATION_SETTINGS), SETTINGS)).action(
    commandAction(state, async (context, groups: string[], options: BatchOptions) => {
      const input = batchInput(groups, options, context.io.cwd);
      const engine = await import('../../session/index.js');
      state.exitCode = await engine.withSession(context, 'batch', options, async (session) => {
        const outcome = await engine.runBatchCommand(context, session, input);
        const report = await session.opened.engine.batchReport(outcome);
        let html: string | undefined;
        if (options.html !== undefined) {
          html = isAbsolute(options.html) ? options.html : resolve(context.io.cwd, options.html);
          writeOwnerOnly(html, renderReportHtml(report));
        }
        const { output } = context;
        output.json({
          ok: outcome.status === 'completed',
          batchId: outcome.batchId,
          status: outcome.status,
          stopped: outcome.stopped ?? null,
          retries: outcome.retries ?? [],
          groups: outcome.groups,
          report,
          html: html ?? null,
        });
        output.line();
        output.line(
          `Batch ${outcome.batchId}: ${outcome.status.replaceAll('_', ' ')} — ${outcome.groups.length} group(s)`,
        );
        for (const g of outcome.groups) {
          output.line(
            `  level ${g.level}  ${g.address}  ${g.status.replaceAll('_', ' ')}${g.codes.length > 0 ? `  ${g.codes.join(', ')}` : ''}`,
          );
        }
        if (html !== undefined) output.line(`HTML report: ${html}`);
        engine.printBatchStopped(context, outcome);
        return engine.batchExitCode(outcome);
      });
    }),
  );
}

function batchInput(groups: readonly string[], options: BatchOptions, cwd: string): BatchInput {
  const given = [groups.length > 0, options.file !== undefined, options.resume !== undefined].filter(
    Boolean,
  ).length;
  if (given !== 1) {
    throw new UsageError(
      'Give the groups as arguments, or --file, or --resume <batchId> — exactly one of them.',
    );
  }
  if (options.resume !== undefined) return { kind: 'resume', id: options.resume };
  if (options.file !== undefined) {
    const text = readGroupFile(options.file, cwd);
    return { kind: 'start', groups: text, ...(options.id !== undefined ? { id: options.id } : {}) };
  }
  return { kind: 'start', groups, ...(options.id !== undefined ? { id: options.id } : {}) };
}
