// `dlmigrate report`: show a saved report and render it as one self-contained HTML file.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { addSettingFlags, SETTINGS } from '../../config/settings.js';
import type { CommandContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { ProgramState } from '../../program.js';
import { commandAction } from '../shared.js';
import { renderReportHtml } from '../../report/html.js';
import { migrationStatusMark, type Report } from '@dlmigrate/core';
import { writeOwnerOnly } from '../../output/owner-only-file.js';
import { severityStatus } from '../../output/finding.js';

/** Where the state store is: report reads it, so --state-url / --state-folder may point elsewhere than the config. */
const STATE_SETTINGS = SETTINGS.filter((s) => s.path[0] === 'state');

interface ReportOptions {
  from?: string;
  all?: boolean;
  html?: string;
  csv?: string;
}

export function registerReportCommand(program: Command, state: ProgramState): void {
  const report = program
    .command('report')
    .description(
      'show a migration or batch report, or the project dashboard (--all), and render it as a self-contained HTML file',
    )
    .argument('[id]', 'migration id: read the report from the state store')
    .option('--from <file>', 'read the report from a JSON file instead (an exported report)')
    .option(
      '--all',
      'the project dashboard: every batch and migration in the state store (totals, timeline, outages, findings)',
    )
    .option('--html <file>', 'write the HTML report here (mode 0600: it names groups and members)')
    .option('--csv <file>', 'write one row per finding and per change as CSV (mode 0600)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ dlmigrate report 01JDQ6Z8M4 --html sales.html',
        '  $ dlmigrate report --from exported-report.json',
        '  $ dlmigrate report --from batch.json --html batch.html',
        '  $ dlmigrate report --from batch.json --json',
        '  $ dlmigrate report 01JDQ6Z8M4 --csv sales-changes.csv',
        '  $ dlmigrate report --all --html dashboard.html',
        '  $ dlmigrate report --all --csv migrations.csv --state-url postgres://runner@db/dlmigrate',
      ].join('\n'),
    );
  addSettingFlags(report, STATE_SETTINGS).action(
    commandAction(state, async (context, id: string | undefined, options: ReportOptions) => {
      if ([id !== undefined, options.from !== undefined, options.all === true].filter(Boolean).length !== 1) {
        throw new UsageError('Give exactly one of: a migration id, --from <file>, --all.', [
          'dlmigrate report <id>   or   dlmigrate report --from report.json   or   dlmigrate report --all',
        ]);
      }
      if (options.all === true) {
        const { showDashboard } = await import('./dashboard.js');
        return showDashboard({ html: options.html, csv: options.csv }, context);
      }
      const report =
        id !== undefined
          ? await reportFromState(id, context)
          : await readReport(resolvePath(options.from!, context));
      const csv =
        options.csv === undefined
          ? undefined
          : (await import('../../csv/report-csv.js')).writeReportCsv(options.csv, context.io.cwd, report);
      showReport(report, options, context, csv);
    }),
  );
}

async function reportFromState(id: string, context: CommandContext): Promise<Report> {
  const { openState } = await import('../../session/open-engine.js');
  const store = await openState(context.loadConfig().config);
  try {
    const record = await store.getReport(id);
    if (record === null) {
      const migration = await store.getMigration(id);
      throw new UsageError(
        migration === null
          ? `There is no migration ${id}.`
          : `Migration ${id} has no report yet (status ${migration.status}).`,
        migration === null
          ? ['dlmigrate status lists the migrations in this state store']
          : [`dlmigrate resume ${id} finishes it`],
      );
    }
    return parseReport(record.report, `the stored report of ${id}`);
  } finally {
    await store.close();
  }
}

function showReport(
  report: Report,
  options: ReportOptions,
  context: CommandContext,
  csvFile: string | undefined,
): void {
  let htmlFile: string | undefined;
  if (options.html !== undefined) {
    htmlFile = resolvePath(options.html, context);
    writeOwnerOnly(htmlFile, renderReportHtml(report));
  }
  const { output } = context;
  const findings =
    report.kind === 'migration'
      ? report.findings
      : [...report.findings, ...report.migrations.flatMap((m) => m.findings)];
  output.json({
    ok: true,
    report,
    html: htmlFile ?? null,
    ...(csvFile !== undefined ? { csv: csvFile } : {}),
  });
  const what =
    report.kind === 'migration' ? `migration ${report.id} of ${report.group.address}` : `batch ${report.id}`;
  if (report.kind === 'migration' && report.verification !== undefined)
    output.line(report.verification.summary);
  output.line(`${what}: ${report.status}`);
  if (report.kind === 'batch') {
    for (const m of report.migrations)
      output.status(migrationStatusMark(m.status), m.group.address, m.status);
  }
  for (const f of findings) {
    output.status(severityStatus(f.severity), `${f.code} ${f.subject}`, `${f.message} — ${f.action}`);
  }
  if (htmlFile !== undefined) output.line(`HTML report: ${htmlFile}`);
  if (csvFile !== undefined) output.line(`CSV: ${csvFile}`);
}

function resolvePath(file: string, context: CommandContext): string {
  return isAbsolute(file) ? file : resolve(context.io.cwd, file);
}

async function readReport(file: string): Promise<Report> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`Cannot read report ${file}: ${(error as Error).message}`);
  }
  return parseReport(data, file);
}

async function parseReport(data: unknown, what: string): Promise<Report> {
  // The report model is core's (report/schema.ts), loaded only when a report is read.
  const { reportSchema } = await import('@dlmigrate/core');
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    throw new UsageError(
      `${what} is not a dlmigrate report`,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`),
    );
  }
  return parsed.data;
}
