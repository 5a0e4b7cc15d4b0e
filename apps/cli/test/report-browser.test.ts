// The HTML report of a real migration, as a browser renders it: `dlmigrate migrate` against the lab "cli",
// `dlmigrate report <id> --html`, then headless Chromium reads the file (DOM checked) and photographs it
// (test-output/report.png, attached to the closing note).
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasChromium, pngSize, renderedDom, screenshot, tableRows } from './helpers/chromium.js';
import { dlmigrate, tempDir } from './helpers/cli.js';
import { useFreshLab } from './helpers/lab.js';

/** A display name that is markup if a renderer forgets to escape it: an element, an entity, a cell break. */
const HOSTILE_DISPLAY_NAME = `Board <img src=x onerror=alert(1)> & "Co" </td>`;
const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output');
const WINDOW = { width: 1280, height: 2200 };

describe.skipIf(!hasChromium)(
  'the HTML report in headless Chromium (skipped when /usr/bin/chromium is absent; scripts/services.sh installs it)',
  () => {
    const cwd = tempDir('browser');
    const lab = useFreshLab(cwd);
    const run = (args: string[]) => dlmigrate(args, { cwd, env: lab.env() });
    mkdirSync(OUTPUT, { recursive: true });

    it('renders a completed migration: group, status, every step, before/after, the hostile name as text', async () => {
      const [board] = await lab.ad().findByAddress('board@contoso.com');
      await lab
        .ad()
        .modifyAttributes(board!.dn, [
          { operation: 'replace', attribute: 'displayName', values: [HOSTILE_DISPLAY_NAME] },
        ]);
      const migrated = await run(['migrate', 'board@contoso.com', '--json']);
      expect(migrated.code, migrated.stderr).toBe(0);
      const id = (JSON.parse(migrated.stdout) as { report: { id: string } }).report.id;
      const file = join(cwd, 'board.html');
      const report = await run(['report', id, '--html', file]);
      expect(report.code, report.stderr).toBe(0);

      const dom = await renderedDom(file);
      // The name is text: no element came out of it, and the table around it is intact.
      expect(dom).not.toMatch(/<img\b/i);
      expect(dom).toContain(
        '<h1>dlmigrate report — Board &lt;img src=x onerror=alert(1)&gt; &amp; "Co" &lt;/td&gt;</h1>',
      );
      expect(dom).toContain(
        '<title>dlmigrate report — Board &lt;img src=x onerror=alert(1)&gt; &amp; "Co" &lt;/td&gt;</title>',
      );
      expect(dom).toContain(`Group <strong>board@contoso.com</strong> · migration ${id} · strategy recreate`);
      expect(dom).toMatch(/<span class="badge s-completed">completed<\/span> started /);

      const rows = tableRows(dom);
      const steps = new Map(rows.filter((r) => r.length === 4).map((r) => [r[0], r[1]]));
      for (const step of [
        'capture',
        'validate',
        'stage',
        'park',
        'await-deletion',
        'take-over',
        'dispose',
        'routing-contact',
        'rewire-onprem',
        'rewire-cloud',
        'report',
      ]) {
        expect(steps.get(step), step).toBe('completed');
      }
      expect(steps.get('hybrid-mail-flow')).toBe('skipped');

      const changes = rows.filter((r) => r.length === 5 && r[0] !== 'Where');
      const change = (object: RegExp, attribute: string) =>
        changes.find((r) => object.test(r[1]!) && r[2] === attribute);
      expect(change(/^CN=Board,OU=Groups,/, 'location')?.slice(3)).toEqual([
        'CN=Board,OU=Groups,OU=Contoso,DC=lab,DC=test',
        'CN=Board,OU=NonSync,DC=lab,DC=test',
      ]);
      const addresses = change(/./, 'EmailAddresses')!;
      expect(addresses[3]).toMatch(/^dlmigrate-staging-.*@contoso\.com$/);
      expect(addresses[4]!.split('\n')).toEqual(
        expect.arrayContaining(['SMTP:board@contoso.com', 'smtp:board@contoso.mail.onmicrosoft.com']),
      );
      expect(change(/./, 'Name')?.slice(3)).toEqual([expect.stringMatching(/^dlmigrate-staging-/), 'Board']);
      expect(change(/^CN=Board-MigratedByScript,/, 'created')?.slice(3)).toEqual([
        '—',
        'board-MigratedByScript@contoso.com',
      ]);
      // Counts: no problems of any severity, and the dependants rewired on each side.
      expect(dom).toMatch(
        /blocking<\/span> 0<\/span>.*needs-action<\/span> 0<\/span>.*info<\/span> 0<\/span>/s,
      );
      expect(dom).toContain('No problems.');
      expect(
        changes.filter((r) => r[1] === 'dependants' && r[2] === 'rewired').map((r) => [r[0], r[4]]),
      ).toEqual([
        ['on-premises', '0'],
        ['cloud', '0'],
      ]);

      const png = join(OUTPUT, 'report.png');
      await screenshot(file, png, WINDOW);
      const bytes = readFileSync(png);
      expect(pngSize(bytes)).toEqual(WINDOW);
      expect(bytes.length).toBeGreaterThan(20_000);
    }, 300_000);

    it('renders a blocked migration: the error code, what happened and what to do', async () => {
      const file = join(cwd, 'blocked.html');
      const blocked = await run(['migrate', 'nobody@contoso.com', '--html', file]);
      expect(blocked.code, blocked.stderr).toBe(3);
      expect(statSync(file).mode & 0o777).toBe(0o600);

      const dom = await renderedDom(file);
      expect(dom).toMatch(/<span class="badge s-blocked">blocked<\/span> started /);
      expect(dom).toMatch(/blocking<\/span> 1<\/span>.*needs-action<\/span> 0<\/span>/s);
      const problems = tableRows(dom).filter((r) => r.length === 5 && r[1] === 'GROUP_NOT_FOUND');
      expect(problems).toEqual([
        [
          'blocking',
          'GROUP_NOT_FOUND',
          'nobody@contoso.com',
          'no directory object has this mail address',
          'Check the address: no directory object has it in its mail attribute.',
        ],
      ]);
      const steps = new Map(
        tableRows(dom)
          .filter((r) => r.length === 4)
          .map((r) => [r[0], r[1]]),
      );
      expect(steps.get('capture')).toBe('completed');
      expect(steps.get('validate')).toBe('failed');
      expect(steps.get('stage')).toBe('pending');

      const png = join(OUTPUT, 'report-blocked.png');
      await screenshot(file, png, { width: 1280, height: 900 });
      expect(pngSize(readFileSync(png))).toEqual({ width: 1280, height: 900 });
    }, 300_000);
  },
);
