// batch and lab demo through the built binary against the lab instance "cli".
import { parseCsv } from '@dlmigrate/core/testing';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, dlmigrate, dlmigrateInterrupted, tempDir } from './helpers/cli.js';
import { useFreshLab } from './helpers/lab.js';

interface GroupResult {
  address: string;
  level: number;
  status: string;
  codes: string[];
}

const cwd = tempDir('batch');
const lab = useFreshLab(cwd);
const run = (args: string[]) => dlmigrate(args, { cwd, env: lab.env() });

/** The exit code the documented rules give for these group outcomes. */
function expectedExit(groups: readonly GroupResult[]): number {
  const statuses = new Set(groups.map((g) => g.status));
  if (['failed', 'rolled_back', 'running', 'parked', 'planned'].some((s) => statuses.has(s))) return 1;
  if (statuses.has('blocked')) return 3;
  return statuses.has('completed_with_warnings') ? 4 : 0;
}

describe('dlmigrate batch', () => {
  it('checks the whole list first and starts nothing while any line is wrong', async () => {
    const bad = await run(['batch', 'research@contoso.com', 'bad(x@contoso.com', 'nobody@contoso.com']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('The batch cannot start; nothing was changed.');
    expect(bad.stderr).toContain('line 2: bad(x@contoso.com: MALFORMED_ADDRESS');
    expect(bad.stderr).toContain('line 3: nobody@contoso.com: GROUP_NOT_FOUND');
    expect(JSON.parse((await run(['status', '--json'])).stdout).migrations).toEqual([]);

    const neither = await run(['batch']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('exactly one of them');
  });

  it('migrates the groups of a CSV export, writes the batch report, and resuming a finished batch changes nothing', async () => {
    const csv = join(cwd, 'wave.csv');
    writeFileSync(
      csv,
      'DisplayName,PrimarySmtpAddress\nResearch,research@contoso.com\n"Finance, Group",finance@contoso.com\n',
    );
    const html = join(cwd, 'wave.html');
    // The runner's bound and the tenant-wide rate ceiling as flags (migration.concurrency, tenant.maxCallsPerSecond).
    const result = await run([
      'batch',
      '--file',
      csv,
      '--id',
      'wave-1',
      '--html',
      html,
      '--json',
      '--concurrency',
      '2',
      '--max-calls-per-second',
      '40',
    ]);
    const doc = JSON.parse(result.stdout) as {
      batchId: string;
      groups: GroupResult[];
      report: { outage?: { groups: number; p95Seconds: number } };
    };
    expect(result.code, result.stderr).toBe(expectedExit(doc.groups));
    expect(doc.batchId).toBe('wave-1');
    expect(doc.groups.map((g) => g.address).sort()).toEqual(['finance@contoso.com', 'research@contoso.com']);
    expect(doc.groups.every((g) => g.status === 'completed')).toBe(true);
    expect(statSync(html).mode & 0o777).toBe(0o600);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('dlmigrate batch report — wave-1');
    expect(page).toContain('research@contoso.com');
    // Each group's outage window (deletion seen → take-over converged) and the batch's p50 / p95.
    expect(doc.report.outage?.groups).toBe(2);
    expect(page).toContain('<h2>Outage windows</h2>');

    const status = await run(['status', '--batch', 'wave-1', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const progress = JSON.parse(status.stdout) as {
      status: string;
      levels: {
        level: number;
        total: number;
        byStatus: Record<string, number>;
        groups: { address: string; status: string }[];
      }[];
    };
    expect(progress.status).toBe('completed');
    const listed = progress.levels.flatMap((l) =>
      l.groups.map((g) => ({ address: g.address, level: l.level, status: g.status })),
    );
    expect(listed.sort((a, b) => a.address.localeCompare(b.address))).toEqual(
      doc.groups
        .map((g) => ({ address: g.address, level: g.level, status: g.status }))
        .sort((a, b) => a.address.localeCompare(b.address)),
    );
    for (const level of progress.levels) expect(level.byStatus).toEqual({ completed: level.groups.length });
    const text = await run(['status', '--batch', 'wave-1']);
    expect(text.stdout).toContain('Batch wave-1: completed · 2 group(s) in');
    expect(text.stdout).toMatch(/^ok\t {2}research@contoso\.com\tcompleted · /m);
    const noBatch = await run(['status', '--batch', 'no-such-batch']);
    expect(noBatch.code).toBe(2);
    expect(noBatch.stderr).toContain('There is no batch no-such-batch.');

    const again = await run(['batch', '--resume', 'wave-1', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { groups: GroupResult[] }).groups.map((g) => g.status)).toEqual(
      doc.groups.map((g) => g.status),
    );
    const unknown = await run(['batch', '--resume', 'no-such-batch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no batch no-such-batch');
  }, 180_000);
});

describe('Ctrl-C', () => {
  it('stops a batch cleanly: no new group, the one in flight at a safe point, exit 130; --resume finishes it', async () => {
    const {
      code,
      signal,
      stdout: out,
      stderr: err,
    } = await dlmigrateInterrupted(
      [
        'batch',
        'contractors@contoso.com',
        'hidden-approvals@contoso.com',
        '--id',
        'stop-1',
        '--verbose',
        '--concurrency',
        '1',
      ],
      { cwd, env: lab.env() },
      { stream: 'stderr', when: /: stage started/, signal: 'SIGINT' },
    );
    expect(code, out + err).toBe(130);
    expect(signal).toBeNull();
    expect(err).toContain('SIGINT: stopping after the call in flight');
    expect(out).toContain(
      'Stopped (SIGINT); the journal is written and the leases released. Continue with: dlmigrate batch --resume stop-1',
    );
    // the open migrations by id: the one stopped after its stage, the one never started
    const running = /^ {2}(\S+@contoso\.com): migration (\S+) \(running\)$/m.exec(out);
    expect(running, out).not.toBeNull();
    expect(out).toMatch(/^ {2}\S+@contoso\.com: migration \S+ \(planned\)$/m);

    // Migrating the stopped group on its own is refused and points to the batch: a lone `resume` of a batch's
    // migration would run it outside the batch's leases, level order and shared sync.
    const alone = await run(['migrate', running![1]!]);
    expect(alone.code, alone.stdout + alone.stderr).toBe(3);
    expect(alone.stderr).toContain(`already has an open migration ${running![2]} of batch stop-1`);
    expect(alone.stderr).toContain('continue it with: dlmigrate batch --resume stop-1');
    expect(alone.stderr).not.toContain('dlmigrate resume');

    const resumed = await run(['batch', '--resume', 'stop-1', '--json']);
    const doc = JSON.parse(resumed.stdout) as {
      groups: GroupResult[];
      stopped: string | null;
      retries: unknown[];
    };
    expect(doc.stopped).toBeNull();
    expect(doc.retries).toEqual([]);
    expect(
      doc.groups.map((g) => g.status).every((s) => s === 'completed' || s === 'completed_with_warnings'),
    ).toBe(true);
    expect(resumed.code, resumed.stderr).toBe(expectedExit(doc.groups));
  });
});

describe('CSV in and out', () => {
  it('plan --csv → edited in Excel → batch --file; status and report as CSV', async () => {
    const list = join(cwd, 'candidates.txt');
    writeFileSync(list, 'obrien-team@contoso.com\nsales-west@contoso.com\nzurich-unicode@contoso.com\n');
    const planCsv = join(cwd, 'plan.csv');
    const plan = await run(['plan', '--file', list, '--csv', planCsv]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`CSV: ${planCsv}`);
    expect(statSync(planCsv).mode & 0o777).toBe(0o600);
    const written = readFileSync(planCsv, 'utf8');
    expect(written.split('\r\n')[0]).toBe(
      '\uFEFFaddress,displayName,status,level,blockedInBatch,blocking,needsAction,info,changes,migrationId',
    );
    // The names with a comma, quotes and non-ASCII letters, quoted as RFC 4180 says.
    expect(written).toContain(`obrien-team@contoso.com,"O'Brien ""Team""",planned,0,`);
    expect(written).toContain('sales-west@contoso.com,"#Sales, West",planned,0,');
    expect(written).toContain('zurich-unicode@contoso.com,Zürich Ünïcödé 東京,planned,0,');
    const rows = parseCsv(written)
      .slice(1)
      .map((r) => r.fields);
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['obrien-team@contoso.com', `O'Brien "Team"`],
      ['sales-west@contoso.com', '#Sales, West'],
      ['zurich-unicode@contoso.com', 'Zürich Ünïcödé 東京'],
    ]);

    // What Excel saves after the administrator removed one row and noted something in a new column: BOM, CRLF.
    const lines = written
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const edited = [`${lines[0]},note`, `${lines[1]},"ok, go"`, `${lines[3]},"2nd ""wave"""`].join('\r\n');
    const wave = join(cwd, 'wave-edited.csv');
    writeFileSync(wave, `\uFEFF${edited}\r\n`);
    const batch = await run(['batch', '--file', wave, '--id', 'csv-wave', '--json']);
    const doc = JSON.parse(batch.stdout) as { groups: GroupResult[] };
    expect(batch.code, batch.stderr).toBe(expectedExit(doc.groups));
    expect(doc.groups.map((g) => g.address).sort()).toEqual([
      'obrien-team@contoso.com',
      'zurich-unicode@contoso.com',
    ]);

    const statusCsv = join(cwd, 'status.csv');
    const status = await run(['status', '--batch', 'csv-wave', '--csv', statusCsv]);
    expect(status.code, status.stderr).toBe(0);
    const statusRows = parseCsv(readFileSync(statusCsv, 'utf8')).map((r) => r.fields);
    expect(statusRows[0]).toEqual([
      'address',
      'status',
      'currentStep',
      'strategy',
      'batchId',
      'level',
      'createdAt',
      'updatedAt',
      'migrationId',
    ]);
    expect(
      statusRows
        .slice(1)
        .map((r) => [r[0], r[4]])
        .sort(),
    ).toEqual([
      ['obrien-team@contoso.com', 'csv-wave'],
      ['zurich-unicode@contoso.com', 'csv-wave'],
    ]);

    const migrationId = statusRows.find((r) => r[0] === 'zurich-unicode@contoso.com')![8]!;
    const reportCsv = join(cwd, 'report.csv');
    const report = await run(['report', migrationId, '--csv', reportCsv]);
    expect(report.code, report.stderr).toBe(0);
    const reportRows = parseCsv(readFileSync(reportCsv, 'utf8')).map((r) => r.fields);
    expect(reportRows[0]).toEqual([
      'migrationId',
      'address',
      'record',
      'severity',
      'code',
      'subject',
      'message',
      'action',
      'side',
      'object',
      'attribute',
      'before',
      'after',
    ]);
    const changes = reportRows.filter((r) => r[2] === 'change');
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((r) => r[0] === migrationId && r[1] === 'zurich-unicode@contoso.com')).toBe(true);
    // The display name with its non-ASCII letters survives the report's round trip through CSV.
    expect(reportRows.some((r) => r.some((cell) => cell.includes('Zürich Ünïcödé 東京')))).toBe(true);
  });
});

// A demo migrates eleven groups over three levels with a sync per level: a few seconds alone on the
// machine, minutes on a shared one. The default 30 s budget (vitest.shared.ts) is for single commands.
const DEMO_TIMEOUT_MS = 300_000;

describe('dlmigrate lab demo', { timeout: DEMO_TIMEOUT_MS }, () => {
  it('migrates a batch of the fixture over three levels, children first, and writes the report', async () => {
    const html = join(cwd, 'demo.html');
    const result = await dlmigrate(['lab', 'demo', '--name', 'cli', '--html', html, '--json'], { cwd });
    const doc = JSON.parse(result.stdout) as { groups: GroupResult[]; html: string };
    expect(result.code, result.stderr).toBe(expectedExit(doc.groups));
    const level = (address: string) => doc.groups.find((g) => g.address === address)?.level;
    expect(doc.groups).toHaveLength(11);
    expect(level('sales@contoso.com')).toBe(0);
    expect(level('allstaff@contoso.com')).toBe(1);
    expect(level('company@contoso.com')).toBe(2);
    expect(doc.groups.every((g) => g.status === 'completed' || g.status === 'completed_with_warnings')).toBe(
      true,
    );
    expect(doc.html).toBe(html);
    const page = readFileSync(html, 'utf8');
    for (const g of doc.groups) expect(page).toContain(g.address);
  });

  it('shows a live view of the level in progress on a terminal', async () => {
    // `script` gives the binary a pseudo-terminal, as an administrator's shell would.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} lab demo --name cli --html ${JSON.stringify(join(cwd, 'tty.html'))}`;
    const run = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        cwd,
        env: { PATH: process.env['PATH'] ?? '', HOME: cwd, TERM: 'xterm' },
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, out }));
    });
    expect([0, 4], run.out.slice(-3000)).toContain(run.code);
    expect(run.out).toContain('\r\u001b[2K');
    expect(run.out).toMatch(/level 0 preparing +█*░+ 0\/9/);
    expect(run.out).toMatch(/level 2 done +█{24} 1\/1 +batch: 11 group\(s\) finished/);
    expect(run.out).toContain('\u001b[32m✔\u001b[0m');
  });
});
