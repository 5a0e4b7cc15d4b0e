// The project dashboard of a real lab project, as a browser renders it: a batch and two single migrations run with the
// built `dlmigrate` against the lab "cli" (one group's display name is markup), then `dlmigrate report --all --html`
// and headless Chromium reads the page (DOM checked), photographs it wide and narrow (test-output/dashboard.png,
// dashboard-narrow.png) and lays it out 390 px wide to check nothing runs off the side.
import { parseCsv } from '@dlmigrate/core/testing';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasChromium, layoutAt, pngSize, renderedDom, screenshot, tableRows } from './helpers/chromium.js';
import { dlmigrate, tempDir } from './helpers/cli.js';
import { useFreshLab } from './helpers/lab.js';

const HOSTILE_DISPLAY_NAME = `Board <img src=x onerror=alert(1)> & "Co" </td>`;
const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output');

interface Listed {
  id: string;
  group: { address: string };
  status: string;
  batchId: string | null;
}

describe.skipIf(!hasChromium)(
  'the project dashboard in headless Chromium (skipped when /usr/bin/chromium is absent; scripts/services.sh installs it)',
  () => {
    const cwd = tempDir('dashboard');
    const lab = useFreshLab(cwd);
    const run = (args: string[]) => dlmigrate(args, { cwd, env: lab.env() });
    mkdirSync(OUTPUT, { recursive: true });

    it('shows every migration of a lab project: totals, timeline, outages, findings, links to the reports', async () => {
      const [board] = await lab.ad().findByAddress('board@contoso.com');
      await lab
        .ad()
        .modifyAttributes(board!.dn, [
          { operation: 'replace', attribute: 'displayName', values: [HOSTILE_DISPLAY_NAME] },
        ]);
      const batch = await run([
        'batch',
        'research@contoso.com',
        'board@contoso.com',
        '--id',
        'wave-1',
        '--json',
      ]);
      expect([0, 4], batch.stderr).toContain(batch.code);
      const single = await run(['migrate', 'sales-west@contoso.com', '--json']);
      expect([0, 4], single.stderr).toContain(single.code);
      const blocked = await run(['migrate', 'nobody@contoso.com', '--json']);
      expect(blocked.code, blocked.stderr).toBe(3);
      const listed = (JSON.parse((await run(['status', '--json'])).stdout) as { migrations: Listed[] })
        .migrations;
      expect(listed).toHaveLength(4);

      const file = join(cwd, 'dashboard.html');
      const csv = join(cwd, 'dashboard.csv');
      const result = await run(['report', '--all', '--html', file, '--csv', csv, '--json']);
      expect(result.code, result.stderr).toBe(0);
      const doc = JSON.parse(result.stdout) as {
        project: { totals: { migrations: number; byStatus: Record<string, number> } };
        reports: string;
      };
      expect(doc.project.totals.migrations).toBe(4);
      expect(statSync(file).mode & 0o777).toBe(0o600);

      const dom = await renderedDom(file);
      // The hostile name stayed text: no element came out of it anywhere on the page.
      expect(dom).not.toMatch(/<img\b/i);
      expect(dom).toContain('Board &lt;img src=x onerror=alert(1)&gt; &amp; "Co" &lt;/td&gt;');

      // Totals: one card for all, one per status present, matching what `status` lists.
      expect(dom).toMatch(/<div class="card"><span class="n">4<\/span>migrations<\/div>/);
      const counts = new Map<string, number>();
      for (const m of listed) counts.set(m.status, (counts.get(m.status) ?? 0) + 1);
      for (const [status, n] of counts)
        expect(dom).toContain(`<div class="card" data-status="${status}"><span class="n">${n}</span>`);
      expect(counts.get('blocked')).toBe(1);

      // One row per migration, each with its status and (but the blocked one, which has a report too) a link.
      const rows = tableRows(section(dom, 'migrations-table')).slice(1);
      expect(rows).toHaveLength(4);
      for (const m of listed) {
        const row = rows.find((r) => r[0]!.startsWith(m.group.address));
        expect(row, m.group.address).toBeDefined();
        expect(row![2]).toContain(m.status.replaceAll('_', ' '));
        expect(row![1]).toBe(m.batchId === null ? 'single' : `${m.batchId} · level 0`);
        expect(row![6]).toBe(`report ${m.id}`);
      }
      // A link opens that migration's own report, written beside the dashboard.
      const research = listed.find((m) => m.group.address === 'research@contoso.com')!;
      const href = new RegExp(`<a class="report-link" href="([^"]+)">report ${research.id}</a>`).exec(
        dom,
      )?.[1];
      expect(href).toBe(`dashboard-reports/${research.id}.html`);
      const linked = join(cwd, href!);
      expect(statSync(linked).mode & 0o777).toBe(0o600);
      expect(await renderedDom(linked)).toContain(`migration ${research.id} · strategy recreate`);

      // Findings by code with the catalogue's advice.
      const findings = tableRows(section(dom, 'findings-table'));
      expect(findings.find((r) => r[0] === 'GROUP_NOT_FOUND')?.slice(1, 5)).toEqual([
        'blocking',
        '1',
        '1',
        'Check the address: no directory object has it in its mail attribute.',
      ]);

      // Timeline: the batch's level with its one sync, and each single migration that ran steps.
      expect(dom).toContain('wave-1 · level 0<small>done · ');
      expect(dom).toMatch(/wave-1 · level 0<small>[^<]* · sync \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      expect(dom).toContain('<div class="label">sales-west@contoso.com<small>');
      // Outages: one per migrated recreate group, recorded by the steps (deletion seen → take-over converged).
      const outageRows = [...dom.matchAll(/<div class="row outage" data-source="(recorded|derived)">/g)];
      expect(outageRows.map((r) => r[1])).toEqual(['recorded', 'recorded', 'recorded']);

      // The CSV: one row per migration.
      const csvRows = parseCsv(readFileSync(csv, 'utf8'));
      expect(csvRows[0]!.fields.slice(0, 3)).toEqual(['address', 'displayName', 'status']);
      expect(
        csvRows
          .slice(1)
          .map((r) => r.fields.at(-1))
          .sort(),
      ).toEqual(listed.map((m) => m.id).sort());

      const png = join(OUTPUT, 'dashboard.png');
      await screenshot(file, png, { width: 1280, height: 2000 });
      expect(pngSize(readFileSync(png))).toEqual({ width: 1280, height: 2000 });

      // A phone: laid out 390 px wide, nothing sticks out sideways; the tables became cards.
      const narrow = await layoutAt(file, 390);
      expect(narrow.innerWidth).toBe(390);
      expect(narrow.overflowing).toEqual([]);
      expect(narrow.scrollWidth).toBeLessThanOrEqual(390);
      const narrowPng = join(OUTPUT, 'dashboard-narrow.png');
      await screenshot(file, narrowPng, { width: 390, height: 2400 });
      expect(pngSize(readFileSync(narrowPng)).width).toBe(390);
      expect(existsSync(doc.reports)).toBe(true);
    }, 900_000);
  },
);

/** The serialised table with this id. */
function section(dom: string, id: string): string {
  const start = dom.indexOf(`<table class="cards-when-narrow" id="${id}">`);
  expect(start, id).toBeGreaterThanOrEqual(0);
  return dom.slice(start, dom.indexOf('</table>', start));
}
