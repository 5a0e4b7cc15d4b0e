import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dlmigrate, tempDir } from './helpers/cli.js';
import { batch, HOSTILE_NAME, migration } from './helpers/sample-report.js';

describe('dlmigrate report', () => {
  const cwd = tempDir('report');
  writeFileSync(join(cwd, 'batch.json'), JSON.stringify(batch));
  writeFileSync(join(cwd, 'migration.json'), JSON.stringify(migration));

  it('renders a batch as one self-contained, escaped HTML file, owner-only', async () => {
    const run = await dlmigrate(['report', '--from', 'batch.json', '--html', 'batch.html'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const file = join(cwd, 'batch.html');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const html = readFileSync(file, 'utf8');

    // Self-contained: inline style, no scripts, no external resources, scripts forbidden by CSP.
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<style>');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<(script|link|img|a|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/<[^>]*\s(src|href|on[a-z]+)=/i);

    // Hostile names appear as text, escaped.
    expect(html).toContain(
      'Sales &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Friends&quot; &#39;Co&#39;',
    );
    expect(html).not.toContain(HOSTILE_NAME);
    expect(html).toContain(
      '&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;a href=&quot;http://evil.example&quot;&gt;',
    );
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');

    // What changed, before/after, every error with its code and what to do.
    for (const text of [
      'CHILD_GROUP_MIGRATION_EXCEPTION',
      'A child group did not migrate, so its parent cannot; fix the child first.',
      'CLOUD_REWIRE_FAILED',
      'apply it by hand.',
      'RETENTION_FORCED',
      'smtp:sales@contoso.mail.onmicrosoft.com',
      'CN=Sales,OU=Groups,DC=contoso,DC=com',
      '!Sales',
      'all@contoso.com',
      'rewire cloud',
    ]) {
      expect(html).toContain(text);
    }
    // Blocking problems are listed before needs-action and info ones.
    expect(html.indexOf('CLOUD_REWIRE_FAILED')).toBeLessThan(html.indexOf('RETENTION_FORCED'));
  });

  it('summarises the report on the terminal and as JSON', async () => {
    const text = await dlmigrate(['report', '--from', 'migration.json'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`migration ${migration.id} of sales@contoso.com: completed_with_warnings`);
    expect(text.stdout).toMatch(
      /^warn\tCLOUD_REWIRE_FAILED mailbox ceo@contoso\.com\t.*apply it by hand\.$/m,
    );

    const json = await dlmigrate(['report', '--from', 'batch.json', '--json'], { cwd });
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      html: null,
      report: { kind: 'batch', id: 'wave-1' },
    });
  });

  it('rejects a file that is not a report, listing what is wrong, and writes nothing', async () => {
    writeFileSync(join(cwd, 'broken.json'), JSON.stringify({ kind: 'migration', id: 7, steps: 'all' }));
    const run = await dlmigrate(['report', '--from', 'broken.json', '--html', 'broken.html'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('broken.json is not a dlmigrate report');
    expect(run.stderr).toMatch(/ - id: /);
    expect(run.stderr).toMatch(/ - steps: /);
    expect(() => statSync(join(cwd, 'broken.html'))).toThrow();

    const missing = await dlmigrate(['report'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Give exactly one of: a migration id, --from <file>, --all.');
    const both = await dlmigrate(['report', '--all', '--from', 'broken.json'], { cwd });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give exactly one of: a migration id, --from <file>, --all.');
  });
});
