// `dlmigrate report --all`: the project dashboard across every batch and migration of the state store (SQLite or
// PostgreSQL). Core builds the model (dashboard/project.ts); this only reads the store, renders and writes:
//   --html FILE  the dashboard page, and next to it a folder FILE-reports/ with each migration's own report page,
//                which the dashboard links to (all owner-only: they name groups and members);
//   --csv FILE   one row per migration.
import { buildProject, loadProjectRecords, reportSchema, type ProjectModel } from '@dlmigrate/core';
import { describeLocation } from '@dlmigrate/state';
import { mkdirSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { CommandContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renderDashboardHtml } from '../../report/dashboard-html.js';
import { renderReportHtml } from '../../report/html.js';
import { writeOwnerOnly } from '../../output/owner-only-file.js';
import { severityStatus } from '../../output/finding.js';

export interface DashboardFiles {
  readonly html?: string | undefined;
  readonly csv?: string | undefined;
}

export async function showDashboard(files: DashboardFiles, context: CommandContext): Promise<void> {
  const { openState, stateLocation } = await import('../../session/open-engine.js');
  const { config } = context.loadConfig();
  const store = await openState(config);
  let model: ProjectModel;
  const reports = new Map<string, unknown>();
  try {
    const records = await loadProjectRecords(store);
    model = buildProject(records);
    for (const r of records.migrations) if (r.report !== null) reports.set(r.migration.id, r.report);
  } finally {
    await store.close();
  }
  const { output } = context;
  let htmlFile: string | undefined;
  let reportFolder: string | undefined;
  const skipped: string[] = [];
  if (files.html !== undefined) {
    htmlFile = absolute(files.html, context);
    reportFolder = join(dirname(htmlFile), `${basename(htmlFile, extname(htmlFile))}-reports`);
    const linked = new Map<string, string>();
    if (reports.size > 0)
      write(() => mkdirSync(reportFolder!, { recursive: true, mode: 0o700 }), reportFolder);
    for (const [id, stored] of reports) {
      const parsed = reportSchema.safeParse(stored);
      if (!parsed.success) {
        skipped.push(id);
        continue;
      }
      const page = join(reportFolder, `${id}.html`);
      write(() => writeOwnerOnly(page, renderReportHtml(parsed.data)), page);
      linked.set(id, `${encodeURIComponent(basename(reportFolder))}/${encodeURIComponent(id)}.html`);
    }
    const html = renderDashboardHtml(model, {
      store: describeLocation(stateLocation(config)),
      reportLink: (id) => linked.get(id) ?? null,
    });
    write(() => writeOwnerOnly(htmlFile!, html), htmlFile);
  }
  let csvFile: string | undefined;
  if (files.csv !== undefined) {
    const { writeCsvFile } = await import('../../csv/write.js');
    const { DASHBOARD_COLUMNS } = await import('../../csv/tables.js');
    csvFile = writeCsvFile(files.csv, context.io.cwd, DASHBOARD_COLUMNS, model.migrations);
  }

  output.json({
    ok: true,
    project: model,
    html: htmlFile ?? null,
    reports: reports.size > 0 ? (reportFolder ?? null) : null,
    ...(csvFile !== undefined ? { csv: csvFile } : {}),
  });
  const byStatus = Object.entries(model.totals.byStatus)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  output.line(
    `${model.totals.migrations} migration(s) in ${model.totals.batches} batch(es)${byStatus === '' ? '' : `: ${byStatus}`}`,
  );
  for (const f of model.findings) {
    output.status(
      severityStatus(f.severity),
      `${f.code} ×${f.count} in ${f.migrations} migration(s)`,
      f.action,
    );
  }
  for (const id of skipped)
    output.warn(`The stored report of ${id} is not readable as a report; the dashboard does not link to it.`);
  if (htmlFile !== undefined)
    output.line(`Dashboard: ${htmlFile}${reports.size > 0 ? ` (migration reports in ${reportFolder})` : ''}`);
  if (csvFile !== undefined) output.line(`CSV: ${csvFile}`);
}

function absolute(file: string, context: CommandContext): string {
  return isAbsolute(file) ? file : resolve(context.io.cwd, file);
}

function write(action: () => void, path: string): void {
  try {
    action();
  } catch (error) {
    throw new UsageError(
      `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
