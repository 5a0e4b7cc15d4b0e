// `dlmigrate report`: show a saved report and render it as one self-contained HTML file.
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { createContext, type CommandContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { ProgramState } from '../../program.js';
import { renderReportHtml } from '../../report/html.js';
import { reportSchema, type Report } from '../../report/schema.js';

interface ReportOptions {
  from: string;
  html?: string;
}

export function registerReportCommand(program: Command, state: ProgramState): void {
  program
    .command('report')
    .description('show a migration or batch report and render it as a self-contained HTML file')
    .requiredOption('--from <file>', 'report JSON written by the engine')
    .option('--html <file>', 'write the HTML report here (mode 0600: it names groups and members)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ dlmigrate report --from .dlmigrate/reports/01J9Z.json',
        '  $ dlmigrate report --from batch.json --html batch.html',
        '  $ dlmigrate report --from batch.json --json',
      ].join('\n'),
    )
    .action((options: ReportOptions, command: Command) => {
      const context = createContext(command, state.io, state.redactor);
      showReport(options, context);
    });
}

function showReport(options: ReportOptions, context: CommandContext): void {
  const report = readReport(resolvePath(options.from, context));
  let htmlFile: string | undefined;
  if (options.html !== undefined) {
    htmlFile = resolvePath(options.html, context);
    writeFileSync(htmlFile, renderReportHtml(report), { mode: 0o600 });
  }
  const { output } = context;
  const findings = report.kind === 'migration' ? report.findings : [...report.findings, ...report.migrations.flatMap((m) => m.findings)];
  output.json({ ok: true, report, html: htmlFile ?? null });
  const what = report.kind === 'migration' ? `migration ${report.id} of ${report.group.address}` : `batch ${report.id}`;
  output.line(`${what}: ${report.status}`);
  if (report.kind === 'batch') {
    for (const m of report.migrations) output.status(statusOf(m.status), m.group.address, m.status);
  }
  for (const f of findings) {
    output.status(f.severity === 'blocking' ? 'fail' : f.severity === 'needs-action' ? 'warn' : 'info', `${f.code} ${f.subject}`, `${f.message} — ${f.action}`);
  }
  if (htmlFile !== undefined) output.line(`HTML report: ${htmlFile}`);
}

function statusOf(status: string): 'ok' | 'warn' | 'fail' | 'info' {
  if (status === 'completed') return 'ok';
  if (status === 'completed_with_warnings') return 'warn';
  if (status === 'failed' || status === 'blocked') return 'fail';
  return 'info';
}

function resolvePath(file: string, context: CommandContext): string {
  return isAbsolute(file) ? file : resolve(context.io.cwd, file);
}

function readReport(file: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`Cannot read report ${file}: ${(error as Error).message}`);
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    throw new UsageError(
      `${file} is not a dlmigrate report`,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`),
    );
  }
  return parsed.data;
}
