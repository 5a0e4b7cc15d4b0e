// plan, hybrid enable, hybrid update-address and restore (its preview, confirmation and Ctrl-C) through the built binary against the lab "cli".
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, dlmigrate, dlmigrateInterrupted, tempDir } from './helpers/cli.js';
import { useFreshLab } from './helpers/lab.js';

const cwd = tempDir('hybrid');
const lab = useFreshLab(cwd);
const run = (args: string[]) => dlmigrate(args, { cwd, env: lab.env() });
const GROUPS_OU = 'OU=Groups,OU=Contoso,DC=lab,DC=test';

const dnOf = async (address: string) => (await lab.ad().findByAddress(address))[0]?.dn;

describe('plan', () => {
  it('lists the changes for a clean group and the blockers of an unknown one, changing nothing', async () => {
    const before = await dnOf('board@contoso.com');
    const result = await run(['plan', 'board@contoso.com', 'nobody@contoso.com', '--json']);
    expect(result.code).toBe(3);
    const doc = JSON.parse(result.stdout) as {
      plans: {
        address: string;
        status: string;
        changes: { step: string; side: string; action: string }[];
        verifies: { side: string; object: string; attribute: string; values: number }[];
        findings: { code: string }[];
      }[];
    };
    const board = doc.plans.find((p) => p.address === 'board@contoso.com')!;
    expect(board.status).toBe('planned');
    // which values the verify step will compare once it is done
    expect(board.verifies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ side: 'cloud', object: 'board@contoso.com', attribute: 'EmailAddresses' }),
        expect.objectContaining({ side: 'cloud', object: 'board@contoso.com', attribute: 'Members' }),
      ]),
    );
    expect(result.stdout).not.toContain('values, compared with the capture'); // --json: the document only
    expect(board.changes.map((c) => c.step)).toEqual(
      expect.arrayContaining(['stage', 'park', 'await-deletion', 'take-over', 'dispose']),
    );
    expect(doc.plans.find((p) => p.address === 'nobody@contoso.com')).toMatchObject({
      status: 'blocked',
      findings: [{ code: 'GROUP_NOT_FOUND' }],
    });
    expect(await dnOf('board@contoso.com')).toBe(before);
  });
});

describe('collect permissions', () => {
  it('reads a scope of mailboxes into the state store and exports the rights as CSV; bad input changes nothing', async () => {
    writeFileSync(join(cwd, 'mailboxes.txt'), '# scope\nalice@contoso.com\nbob@contoso.com\n');
    const result = await run([
      'collect',
      'permissions',
      '--mailboxes',
      'mailboxes.txt',
      '--concurrency',
      '2',
      '--csv',
      'rights.csv',
      '--json',
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      scanned: number;
      pending: number;
      mailboxes: number;
      csv: string;
    };
    expect(doc).toMatchObject({ scanned: 2, pending: 0, mailboxes: 2 });
    expect(readFileSync(doc.csv, 'utf8')).toMatch(
      /^\uFEFF?Mailbox,Right,Folder,Trustee,TrusteeSid,AccessRights,CollectedAt\r\n/,
    );
    // --folders: the same mailboxes again with their root, Inbox and Calendar read too (a fresh tenant grants none).
    const folders = await run([
      'collect',
      'permissions',
      '--mailboxes',
      'mailboxes.txt',
      '--folders',
      '--json',
    ]);
    expect(folders.code, folders.stdout + folders.stderr).toBe(0);
    expect(JSON.parse(folders.stdout)).toMatchObject({ scanned: 2, pending: 0, resumed: false });
    expect((await run(['collect', 'permissions', '--concurrency', '0'])).code).toBe(2);
  }, 120_000);
});

interface PlanLayoutDoc {
  layout: {
    levels: string[][];
    waves: string[][];
    children: Record<string, string[]>;
    blocked: { address: string; code: string; action: string }[];
  } | null;
  layoutProblems: string[];
}

describe('plan for several groups: the batch layout', () => {
  const NESTED = ['sales@contoso.com', 'allstaff@contoso.com', 'company@contoso.com'];

  it('shows the nesting level each group of a file would run in, children first, changing nothing', async () => {
    const csv = join(cwd, 'nested.csv');
    writeFileSync(
      csv,
      'DisplayName,PrimarySmtpAddress\nCompany,company@contoso.com\nAll Staff,allstaff@contoso.com\nSales,sales@contoso.com\n',
    );
    const before = await Promise.all(NESTED.map(dnOf));
    const text = await run(['plan', '--file', csv]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Batch layout: 3 group(s) in 3 level(s), children first; 3 sync wave(s)');
    expect(text.stdout).toMatch(/^ {2}level 0 {2}sales@contoso\.com$/m);
    expect(text.stdout).toMatch(/^ {2}level 1 {2}allstaff@contoso\.com {2}\(after sales@contoso\.com\)$/m);
    expect(text.stdout).toMatch(/^ {2}level 2 {2}company@contoso\.com {2}\(after allstaff@contoso\.com\)$/m);
    const doc = JSON.parse((await run(['plan', '--file', csv, '--json'])).stdout) as PlanLayoutDoc;
    expect(doc.layout).toMatchObject({
      levels: [['sales@contoso.com'], ['allstaff@contoso.com'], ['company@contoso.com']],
      blocked: [],
    });
    expect(await Promise.all(NESTED.map(dnOf))).toEqual(before);
  });

  it('names the groups a batch could not run: a child group outside the set, and a membership cycle', async () => {
    const outside = await run(['plan', 'company@contoso.com', 'allstaff@contoso.com', '--json']);
    expect(outside.code).toBe(3);
    const doc = JSON.parse(outside.stdout) as PlanLayoutDoc;
    expect(doc.layout?.levels).toEqual([]);
    expect(doc.layout?.blocked.map((b) => [b.address, b.code]).sort()).toEqual([
      ['allstaff@contoso.com', 'NESTED_GROUP_EXCEPTION'],
      ['company@contoso.com', 'CHILD_GROUP_MIGRATION_EXCEPTION'],
    ]);
    const text = await run(['plan', 'company@contoso.com', 'allstaff@contoso.com']);
    expect(text.stdout).toMatch(
      /^fail\t {2}NESTED_GROUP_EXCEPTION {2}allstaff@contoso\.com\tchild group sales@contoso\.com is not in the batch and not migrated yet — /m,
    );

    // Company becomes a member of Sales: sales → company → allstaff → sales.
    const [sales, company] = await Promise.all([dnOf('sales@contoso.com'), dnOf('company@contoso.com')]);
    await lab.ad().modifyAttributes(sales!, [{ operation: 'add', attribute: 'member', values: [company!] }]);
    try {
      const cycle = JSON.parse((await run(['plan', ...NESTED, '--json'])).stdout) as PlanLayoutDoc;
      expect(cycle.layout?.blocked.map((b) => b.code)).toEqual([
        'CIRCULAR_REFERENCE_EXCEPTION',
        'CIRCULAR_REFERENCE_EXCEPTION',
        'CIRCULAR_REFERENCE_EXCEPTION',
      ]);
      expect(cycle.layout?.blocked.map((b) => b.address).sort()).toEqual([...NESTED].sort());
    } finally {
      await lab
        .ad()
        .modifyAttributes(sales!, [{ operation: 'delete', attribute: 'member', values: [company!] }]);
    }
  });

  it('refuses a file with a malformed line, listing it, before connecting', async () => {
    const csv = join(cwd, 'bad.csv');
    writeFileSync(csv, 'sales@contoso.com\nbad(x@contoso.com\n');
    const bad = await run(['plan', '--file', csv]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('line 2: bad(x@contoso.com: MALFORMED_ADDRESS');
    const both = await run(['plan', 'sales@contoso.com', '--file', csv]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give the groups as arguments or --file — exactly one of them.');
  });
});

describe('hybrid and restore on a migrated group', () => {
  it('migrates without hybrid mail flow, then hybrid enable creates the dynamic group (and is idempotent)', async () => {
    expect((await run(['migrate', 'research@contoso.com'])).code).toBe(0);
    const first = await run(['hybrid', 'enable', 'research@contoso.com', '--ou', GROUPS_OU, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const created = JSON.parse(first.stdout) as {
      dynamicGroupDn: string;
      created: { dynamicGroup: boolean };
    };
    expect(created.created.dynamicGroup).toBe(true);
    // The original address is routable on-premises again: the dynamic group holds it.
    expect(await dnOf('research@contoso.com')).toBe(created.dynamicGroupDn);
    const again = await run(['hybrid', 'enable', 'research@contoso.com', '--ou', GROUPS_OU, '--json']);
    expect(JSON.parse(again.stdout).created).toEqual({
      contact: false,
      dynamicGroup: false,
      routingAddress: false,
    });
  });

  it('updates the address in the cloud and on-premises', async () => {
    const result = await run([
      'hybrid',
      'update-address',
      'research@contoso.com',
      '--new-address',
      'research-team@contoso.com',
      '--new-alias',
      'research-team',
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Address update \S+: completed$/m);
    expect(await dnOf('research-team@contoso.com')).toBeDefined();
  });

  it('Ctrl-C stops an address update between its steps (exit 130); --resume finishes it', async () => {
    // --verbose shows each step starting: Ctrl-C while the Exchange step is in flight.
    const {
      code,
      stdout: out,
      stderr: err,
    } = await dlmigrateInterrupted(
      [
        'hybrid',
        'update-address',
        'research-team@contoso.com',
        '--new-address',
        'research-crew@contoso.com',
        '--verbose',
      ],
      { cwd, env: lab.env() },
      { stream: 'stderr', when: /update-address-cloud started/, signal: 'SIGINT' },
    );
    expect(code, out + err).toBe(130);
    const id = /^Address update (\S+): interrupted/m.exec(out)?.[1];
    expect(id, out).toBeDefined();
    expect(out).toContain(
      `Stopped (SIGINT); the journal is written. Continue with: dlmigrate hybrid update-address --resume ${id}`,
    );
    expect(await dnOf('research-crew@contoso.com')).toBeUndefined(); // the on-prem step never ran

    const resumed = await run(['hybrid', 'update-address', '--resume', id!]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(await dnOf('research-crew@contoso.com')).toBeDefined();
  });

  it('rejects bad hybrid input without touching anything', async () => {
    const ou = await run(['hybrid', 'enable', 'research@contoso.com', '--ou', 'OU=x)(cn=*']);
    expect(ou.code).toBe(2);
    expect(ou.stderr).toContain('is not a distinguished name');
    const address = await run([
      'hybrid',
      'update-address',
      'research@contoso.com',
      '--new-address',
      'not an address',
    ]);
    expect(address.code).toBe(2);
    expect(address.stderr).toContain('Invalid group address');
    const missing = await run(['hybrid', 'update-address', 'research@contoso.com']);
    expect(missing.code).toBe(2);
  });

  it('restore shows its changes first and, off a terminal, changes nothing without --yes', async () => {
    const before = [await dnOf('research@contoso.com'), await dnOf('research-crew@contoso.com')];
    const refused = await run(['restore', 'research@contoso.com']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toContain('not confirmed: standard input is not a terminal');
    expect(refused.stdout).toMatch(
      /^Restoring migration (\S+) of research@contoso\.com \(strategy recreate\) will make \d+ changes:$/m,
    );
    // objects, attributes, before → after: the retained "!" group gets its name back, the cloud DL goes
    expect(refused.stdout).toMatch(/restore-group\s+on-premises\s+\S.*: cn: Research! → Research$/m);
    expect(refused.stdout).toMatch(/restore-remove-cloud\s+cloud\s+\S.*: delete the cloud DL/m);

    const json = await run(['restore', 'research@contoso.com', '--json']);
    expect(json.code).toBe(2);
    const doc = JSON.parse(json.stdout) as {
      ok: boolean;
      problems: string[];
      preview: {
        migrationId: string;
        changes: { step: string; attribute: string; before: unknown; after: unknown }[];
      };
    };
    expect(doc.ok).toBe(false);
    expect(doc.problems).toEqual([
      expect.stringContaining(`dlmigrate restore ${doc.preview.migrationId} --yes`),
    ]);
    expect(doc.preview.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          step: 'restore-group',
          attribute: 'cn',
          before: 'Research!',
          after: 'Research',
        }),
        expect.objectContaining({ step: 'restore-resync', attribute: 'sync' }),
      ]),
    );
    // nothing was changed: the migration is still completed, the dynamic DL still holds the address
    const status = JSON.parse((await run(['status', doc.preview.migrationId, '--json'])).stdout) as {
      migration: { status: string };
    };
    expect(status.migration.status).toMatch(/^completed/);
    expect([await dnOf('research@contoso.com'), await dnOf('research-crew@contoso.com')]).toEqual(before);
  });

  it('on a terminal restore asks, and an answer other than yes changes nothing', async () => {
    const before = [await dnOf('research@contoso.com'), await dnOf('research-crew@contoso.com')];
    // `script` gives the command a terminal (stdin, stdout, stderr), as an administrator at a shell has.
    const command = [process.execPath, BIN, 'restore', 'research@contoso.com'].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: cwd, TERM: 'dumb', ...lab.env() },
    });
    let out = '';
    let answered = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (!answered && out.includes('with these changes? [y/N]')) {
          answered = true;
          child.stdin.write('n\r');
        }
      });
      child.once('close', resolve);
    });
    expect(answered, out).toBe(true);
    expect(code, out).toBe(2);
    expect(out).toContain('cn: Research! → Research');
    expect(out).toContain('Restore of research@contoso.com cancelled; nothing was changed.');
    expect([await dnOf('research@contoso.com'), await dnOf('research-crew@contoso.com')]).toEqual(before);
  });

  it('Ctrl-C stops a restore after the call in flight, exit 130; restore --yes again finishes it', async () => {
    const {
      code,
      signal,
      stdout: out,
    } = await dlmigrateInterrupted(
      ['restore', 'research@contoso.com', '--yes'],
      { cwd, env: lab.env() },
      { stream: 'stdout', when: /^ok\tresearch@contoso\.com {2}restore-remove-hybrid$/m, signal: 'SIGINT' },
    );
    expect(code, out).toBe(130);
    expect(signal).toBeNull(); // ended by itself
    const id = /^Migration (\S+): interrupted/m.exec(out)?.[1];
    expect(id, out).toBeDefined();
    expect(out).toContain(
      `Stopped (SIGINT); the journal is written. Continue with: dlmigrate restore ${id} --yes`,
    );
    expect(out).not.toMatch(/restore-resync$/m); // stopped between calls, long before the sync

    const result = await run(['restore', id!, '--yes', '--json']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      status: string;
      migrationId: string;
      preview: { changes: { step: string }[] };
    };
    expect(doc.status).toBe('restored');
    // what the stopped run completed is not shown again
    expect(doc.preview.changes.map((c) => c.step)).not.toContain('restore-remove-hybrid');

    const status = JSON.parse((await run(['status', doc.migrationId, '--json'])).stdout) as {
      migration: { status: string };
    };
    expect(status.migration.status).toBe('rolled_back');
    // verify on demand after the restore: what the restore promised, all there
    const verified = await run(['verify', doc.migrationId]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/: \d+ values checked, 0 differences \(status rolled back\)/);
    const unknown = await run(['restore', 'no-such-id']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'there is no migration no-such-id; nothing was changed [CORE_MIGRATION_NOT_FOUND]',
    );
    const unknownJson = JSON.parse((await run(['restore', 'no-such-id', '--json'])).stdout) as {
      code: string;
    };
    expect(unknownJson.code).toBe('CORE_MIGRATION_NOT_FOUND');
    expect((await run(['verify', 'no-such-id'])).code).toBe(2);
  });
});
