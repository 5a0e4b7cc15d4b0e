// The project dashboard (`dlmigrate report --all --html`): the model @dlmigrate/core's buildProject made of the whole
// state store, rendered as ONE self-contained page like the migration report (html.ts): inline CSS and SVG, no
// scripts, no external assets, the same Content-Security-Policy. Every value from the store (addresses, display
// names, messages, ids) is escaped. Tables turn into stacked cards on a narrow screen, and the charts are SVG scaled
// to the page's width, so a phone shows everything without scrolling sideways.
import type {
  FindingSummary,
  GroupOutage,
  ProjectBatch,
  ProjectMigration,
  ProjectModel,
} from '@dlmigrate/core';
import { escapeHtml as e } from './escape.js';
import { badge, htmlDocument, REPORT_CSS } from './html.js';

export interface DashboardOptions {
  readonly generatedAt?: Date;
  /** Where the state store is, as it may be shown (a URL's password masked). */
  readonly store?: string;
  /** The relative link to a migration's own report page, or null when it has none. */
  readonly reportLink?: (migrationId: string) => string | null;
}

const DASHBOARD_CSS = `
.s-rolled_back{background:var(--warn)}.s-undo_failed{background:var(--fail)}.s-planned{background:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}.card{border:1px solid var(--line);border-radius:.5rem;padding:.4rem .7rem;min-width:7rem}
.card .n{display:block;font-size:1.4rem;font-weight:700}
svg{display:block;width:100%}
.chart{margin:.5rem 0 1rem}.row{display:grid;grid-template-columns:minmax(0,16rem) minmax(0,1fr);gap:.25rem .75rem;align-items:center;margin:.15rem 0}
.row .label{overflow-wrap:anywhere;font-size:13px}.row .label small{color:var(--muted);display:block}
.axis{display:flex;justify-content:space-between;gap:1rem;color:var(--muted);font-size:12px;margin-left:16.75rem}
.legend{color:var(--muted);font-size:12px}.legend>span{display:inline-block;margin-right:1rem}
.key{display:inline-block;width:.9rem;height:.6rem;margin-right:.3rem;vertical-align:middle}
td,th{overflow-wrap:break-word}code,td a,.addr{overflow-wrap:anywhere}
@media (max-width:40rem){
  body{margin:1rem auto;padding:0 .6rem}
  .row{grid-template-columns:minmax(0,1fr)}.axis{margin-left:0}
  table.cards-when-narrow,table.cards-when-narrow tbody,table.cards-when-narrow tr,table.cards-when-narrow td{display:block;width:100%}
  table.cards-when-narrow thead{display:none}
  table.cards-when-narrow tr{border:1px solid var(--line);border-radius:.4rem;margin:0 0 .6rem;padding:.25rem .4rem}
  table.cards-when-narrow td{border:0;padding:.15rem 0}
  table.cards-when-narrow td::before{content:attr(data-label);display:block;color:var(--muted);font-size:12px}
}
`;

const COLOURS = {
  completed: '#1a7f37',
  completed_with_warnings: '#9a6700',
  failed: '#cf222e',
  blocked: '#cf222e',
  undo_failed: '#cf222e',
  rolled_back: '#bc4c00',
  running: '#0969da',
  parked: '#0969da',
  planned: '#8c959f',
} as const satisfies Record<string, string>;

const colourOf = (status: string): string => (COLOURS as Record<string, string>)[status] ?? '#8c959f';

export function renderDashboardHtml(model: ProjectModel, options: DashboardOptions = {}): string {
  const generated = (options.generatedAt ?? new Date()).toISOString();
  const link = options.reportLink ?? (() => null);
  const body = [
    `<p class="meta">${model.totals.migrations} migration(s), ${model.totals.batches} batch(es)` +
      (options.store === undefined ? '' : ` · state store ${e(options.store)}`) +
      (model.span === null ? '' : ` · from ${e(clock(model.span.start))} to ${e(clock(model.span.end))}`) +
      '</p>',
    '<h2 id="totals">Totals by status</h2>',
    totals(model),
    '<h2 id="timeline">Timeline of levels and syncs</h2>',
    timeline(model),
    '<h2 id="outages">Outage windows</h2>',
    outages(model),
    '<h2 id="findings">Findings by code and what to do</h2>',
    findings(model.findings, link),
    '<h2 id="batches">Batches</h2>',
    batches(model.batches),
    '<h2 id="migrations">Migrations</h2>',
    migrations(model.migrations, link),
  ].join('\n');
  return htmlDocument('dlmigrate project dashboard', REPORT_CSS + DASHBOARD_CSS, body, generated);
}

// ── sections ─────────────────────────────────────────────────────────────────────────────────────

function totals(model: ProjectModel): string {
  const present = Object.entries(model.totals.byStatus).filter(([, n]) => n > 0);
  if (present.length === 0) return '<p class="none">The state store holds no migration yet.</p>';
  const total = model.totals.migrations;
  let x = 0;
  const segments = present.map(([status, n]) => {
    const width = (n / total) * 1000;
    const rect = `<rect x="${x.toFixed(2)}" y="0" width="${width.toFixed(2)}" height="18" fill="${colourOf(status)}"><title>${e(status)}: ${n}</title></rect>`;
    x += width;
    return rect;
  });
  const f = model.totals.findings;
  return [
    `<div class="cards" id="status-totals"><div class="card"><span class="n">${total}</span>migrations</div>`,
    ...present.map(
      ([status, n]) =>
        `<div class="card" data-status="${e(status)}"><span class="n">${n}</span>${badge(status)}</div>`,
    ),
    '</div>',
    `<svg class="chart" viewBox="0 0 1000 18" preserveAspectRatio="none" height="18" role="img" aria-label="migrations by status">${segments.join('')}</svg>`,
    `<p class="counts">Findings: <span>${badge('blocking')} ${f.blocking}</span><span>${badge('needs-action')} ${f['needs-action']}</span><span>${badge('info')} ${f.info}</span></p>`,
    `<p>${model.totals.outages} group(s) went without their addresses for a while` +
      (model.totals.longestOutageMs === null
        ? '.'
        : `; the longest finished outage took ${duration(model.totals.longestOutageMs)}.`) +
      '</p>',
  ].join('\n');
}

function timeline(model: ProjectModel): string {
  if (model.span === null || model.timeline.length === 0) return '<p class="none">Nothing has run yet.</p>';
  const scale = scaleOf(model.span.start, model.span.end);
  const rows = model.timeline.map((lane) => {
    const x0 = scale(lane.start);
    const width = Math.max(4, scale(lane.end) - x0);
    const syncs = lane.syncs
      .map(
        (s) =>
          `<line x1="${scale(s.at).toFixed(1)}" x2="${scale(s.at).toFixed(1)}" y1="0" y2="24" stroke="#0969da" stroke-width="4"${s.source === 'derived' ? ' stroke-dasharray="4 3"' : ''}><title>sync ${e(clock(s.at))}${s.source === 'derived' ? ' (from the journal)' : ''}</title></line>`,
      )
      .join('');
    return (
      `<div class="row lane"><div class="label">${e(lane.label)}<small>${e(lane.status.replaceAll('_', ' '))} · ${e(clock(lane.start))} → ${e(clock(lane.end))}` +
      (lane.syncs.length === 0 ? '' : ` · sync ${lane.syncs.map((s) => e(clock(s.at))).join(', ')}`) +
      '</small></div>' +
      `<svg viewBox="0 0 1000 24" preserveAspectRatio="none" height="24" role="img" aria-label="${e(lane.label)}">` +
      `<rect x="0" y="0" width="1000" height="24" fill="#f6f8fa"/>` +
      `<rect x="${x0.toFixed(1)}" y="5" width="${width.toFixed(1)}" height="14" rx="3" fill="${colourOf(lane.status === 'done' ? 'completed' : lane.status)}"/>` +
      `${syncs}</svg></div>`
    );
  });
  return [
    '<div class="chart" id="timeline-chart">',
    ...rows,
    `<div class="axis"><span>${e(clock(model.span.start))}</span><span>${e(clock(model.span.end))}</span></div>`,
    '</div>',
    '<p class="legend"><span><span class="key" style="background:#1a7f37"></span>level or migration, first to last journal entry</span>' +
      '<span><span class="key" style="background:#0969da"></span>sync triggered (dashed: a single migration’s own, from its journal)</span></p>',
  ].join('\n');
}

function outages(model: ProjectModel): string {
  const withOutage = model.migrations.filter(
    (m): m is ProjectMigration & { outage: GroupOutage } => m.outage !== null,
  );
  if (withOutage.length === 0)
    return '<p class="none">No group has been without its addresses (none parked yet, or all converted in place).</p>';
  const longest = Math.max(1, ...withOutage.map((m) => m.outage.durationMs ?? 0));
  const rows = withOutage.map((m) => {
    const o = m.outage;
    const open = o.durationMs === null;
    const width = open ? 1000 : Math.max(4, (o.durationMs! / longest) * 1000);
    const what = open ? (o.ongoing ? 'still open' : 'end unknown') : duration(o.durationMs!);
    return (
      `<div class="row outage" data-source="${e(o.source)}"><div class="label">${e(m.displayName ?? m.address)}` +
      `<small>${e(what)} · ${e(o.source)} (${e(o.basis)}) · from ${e(clock(o.start))}${o.end === null ? '' : ` to ${e(clock(o.end))}`}` +
      `${o.lastPresentAt === undefined ? '' : ` · last seen present ${e(clock(o.lastPresentAt))}`}</small></div>` +
      `<svg viewBox="0 0 1000 20" preserveAspectRatio="none" height="20" role="img" aria-label="${e(`${m.address}: ${what}`)}">` +
      `<rect x="0" y="3" width="${width.toFixed(1)}" height="14" rx="2" fill="${o.source === 'recorded' ? '#cf222e' : '#f4a7a7'}"` +
      `${o.source === 'derived' ? ' stroke="#cf222e" stroke-dasharray="6 4"' : ''}${open ? ' fill-opacity="0.35"' : ''}/></svg></div>`
    );
  });
  return [
    '<div class="chart" id="outage-chart">',
    ...rows,
    '</div>',
    '<p class="legend"><span><span class="key" style="background:#cf222e"></span>recorded: from the deletion first seen to the take-over converged</span>' +
      '<span><span class="key" style="background:#f4a7a7;outline:1px dashed #cf222e"></span>derived from journal times (an upper bound)</span></p>',
  ].join('\n');
}

function findings(list: readonly FindingSummary[], link: (id: string) => string | null): string {
  if (list.length === 0) return '<p class="none">No problems.</p>';
  return table(
    'findings-table',
    ['Code', 'Severity', 'Count', 'Migrations', 'What to do', 'For example'],
    list.map((f) => [
      `<code>${e(f.code)}</code>`,
      badge(f.severity),
      String(f.count),
      String(f.migrations),
      e(f.action),
      `${e(f.example.subject)}${f.example.subject === '' ? '' : ': '}${e(f.example.message)} ${reportAnchor(link(f.example.migrationId), f.example.migrationId)}`,
    ]),
  );
}

function batches(list: readonly ProjectBatch[]): string {
  if (list.length === 0) return '<p class="none">No batch yet.</p>';
  return table(
    'batches-table',
    ['Batch', 'Status', 'Groups', 'By status', 'Levels'],
    list.map((b) => [
      e(b.id),
      badge(b.status),
      String(b.groups),
      statusSummary(b.byStatus),
      b.levels
        .map(
          (l) =>
            `level ${l.level}: ${l.groups} group(s), ${e(l.phase)}` +
            (l.syncTriggeredAt === undefined ? '' : `, sync ${e(clock(l.syncTriggeredAt))}`) +
            (l.deleted === undefined ? '' : `, ${l.deleted} deletion(s) seen`) +
            (l.notDeleted ? `, ${l.notDeleted} not deleted` : ''),
        )
        .join('<br>'),
    ]),
  );
}

function migrations(list: readonly ProjectMigration[], link: (id: string) => string | null): string {
  if (list.length === 0) return '<p class="none">No migration yet.</p>';
  return table(
    'migrations-table',
    ['Group', 'Batch', 'Status', 'Strategy', 'Outage', 'Findings', 'Report'],
    list.map((m) => [
      `<span class="addr">${e(m.address)}</span>${m.displayName === undefined ? '' : `<br><span class="meta">${e(m.displayName)}</span>`}`,
      m.batchId === null ? '<span class="none">single</span>' : `${e(m.batchId)} · level ${m.level ?? 0}`,
      `${badge(m.status)}${m.currentStep === null ? '' : `<br><span class="meta">at ${e(m.currentStep)}</span>`}`,
      e(m.strategy),
      m.outage === null
        ? '<span class="none">—</span>'
        : `${e(m.outage.durationMs === null ? (m.outage.ongoing ? 'still open' : 'end unknown') : duration(m.outage.durationMs))} <span class="meta">${e(m.outage.source)}</span>`,
      `${m.findings.blocking} blocking, ${m.findings['needs-action']} needs action, ${m.findings.info} info` +
        (m.codes.length === 0 ? '' : `<br>${m.codes.map((c) => `<code>${e(c)}</code>`).join(' ')}`),
      reportAnchor(link(m.id), m.id),
    ]),
  );
}

// ── pieces ───────────────────────────────────────────────────────────────────────────────────────

/** Cells are already-escaped HTML; each carries its column's name for the stacked narrow-screen layout. */
function table(id: string, headers: readonly string[], rows: readonly string[][]): string {
  const head = `<tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`;
  const lines = rows.map(
    (row) =>
      `<tr>${row.map((cell, i) => `<td data-label="${e(headers[i] ?? '')}">${cell}</td>`).join('')}</tr>`,
  );
  return `<table class="cards-when-narrow" id="${e(id)}"><thead>${head}</thead><tbody>\n${lines.join('\n')}\n</tbody></table>`;
}

function reportAnchor(href: string | null, migrationId: string): string {
  return href === null
    ? `<span class="none">no report yet (${e(migrationId)})</span>`
    : `<a class="report-link" href="${e(href)}">report ${e(migrationId)}</a>`;
}

function statusSummary(byStatus: Readonly<Record<string, number>>): string {
  const present = Object.entries(byStatus).filter(([, n]) => n > 0);
  return present.length === 0
    ? '<span class="none">—</span>'
    : present.map(([s, n]) => `${n} ${badge(s)}`).join(' ');
}

/** Maps an ISO time inside the span to 0–1000 (the charts' viewBox width). */
function scaleOf(start: string, end: string): (iso: string) => number {
  const from = Date.parse(start);
  const length = Math.max(1, Date.parse(end) - from);
  return (iso) => Math.min(1000, Math.max(0, ((Date.parse(iso) - from) / length) * 1000));
}

/** "2026-12-01 09:04:10 UTC": one time zone for every reader of the page. */
export function clock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "0.4 s", "45 s", "4 min 30 s", "2 h 05 min" (tenths under ten seconds: a quick take-over is not "0 s"). */
export function duration(ms: number): string {
  if (ms < 9_950) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
