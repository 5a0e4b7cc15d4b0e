// migrate, status, report and resume through the built binary, against the lab instance "cli" (Samba DC +
// simulated tenant started by `dlmigrate lab up`), including bad input that must change nothing and a
// migration killed half-way and resumed.
import { startEntraConnectSsh } from '@dlmigrate/lab';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dlmigrate, dlmigrateInterrupted, tempDir, type Interruption } from './helpers/cli.js';
import { useFreshLab } from './helpers/lab.js';

const cwd = tempDir('migrate');
const lab = useFreshLab(cwd);

const run = (args: string[]) => dlmigrate(args, { cwd, env: lab.env() });
const stopped = (args: string[], interruption: Interruption) =>
  dlmigrateInterrupted(args, { cwd, env: lab.env() }, interruption);

/** Where the group with this address sits in the directory, or undefined when no object has it. */
async function dnOf(address: string): Promise<string | undefined> {
  const matches = await lab.ad().findByAddress(address);
  return matches[0]?.dn;
}

describe('bad input changes nothing', () => {
  it('rejects malformed addresses and filter syntax before connecting, listing each', async () => {
    const before = await dnOf('sales@contoso.com');
    const bad = await run(['migrate', 'sales)(mail=*@contoso.com']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid group address; nothing was changed.');
    expect(bad.stderr).toContain(
      '"sales)(mail=*@contoso.com" has characters an SMTP address cannot hold before the @',
    );
    const plain = await run(['migrate', 'not-an-address']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('"not-an-address" is not an SMTP address like sales@contoso.com');
    const domain = await run(['migrate', 'sales@contoso..com']);
    expect(domain.stderr).toContain('has an invalid domain "contoso..com"');
    expect(await dnOf('sales@contoso.com')).toBe(before);
    const status = await run(['status', '--json']);
    expect(JSON.parse(status.stdout).migrations).toEqual([]);
  });

  it('escapes a wildcard that is legal in an address: no group matches, the run is blocked', async () => {
    const wildcard = await run(['migrate', '*@contoso.com', '--json']);
    expect(wildcard.code).toBe(3);
    const doc = JSON.parse(wildcard.stdout);
    expect(doc.status).toBe('blocked');
    expect(doc.report.findings.map((f: { code: string }) => f.code)).toEqual(['GROUP_NOT_FOUND']);
  });

  it('blocks an unknown group with the code and what to do', async () => {
    const unknown = await run(['migrate', 'nobody@contoso.com']);
    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toMatch(/^fail\tGROUP_NOT_FOUND {2}nobody@contoso\.com\t.*Check the address/m);
  });

  it('refuses a missing certificate file and invalid options with exit code 2', async () => {
    const cert = await run(['migrate', 'sales@contoso.com', '--pem-cert-file', join(cwd, 'missing.pem')]);
    expect(cert.code).toBe(2);
    expect(cert.stderr).toContain('missing.pem');
    expect(cert.stderr).toContain('check tenant.certificate');
    const options = await run([
      'migrate',
      'sales@contoso.com',
      '--strategy',
      'teleport',
      '--group-type',
      'Unified',
    ]);
    expect(options.code).toBe(2);
    expect(options.stderr).toContain('migration.strategy (--strategy)');
    expect(options.stderr).toContain('migration.groupTypeOverride (--group-type)');
  });

  it('stops at capture with a clear message for a wrong tenant, and rolls nothing forward', async () => {
    const before = await dnOf('sales@contoso.com');
    const wrong = await run([
      'migrate',
      'sales@contoso.com',
      '--tenant-id',
      '00000000-0000-0000-0000-000000000009',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('Tenant "00000000-0000-0000-0000-000000000009" was not found');
    expect(await dnOf('sales@contoso.com')).toBe(before);
  });
});

describe('a migration end to end', () => {
  let id: string;

  it('migrates a group, prints its steps, and writes the HTML report', async () => {
    const html = join(cwd, 'sales.html');
    // An existing report file that others may read ends owner-only.
    writeFileSync(html, 'old', { mode: 0o644 });
    chmodSync(html, 0o644);
    const result = await run(['migrate', 'sales@contoso.com', '--html', html]);
    // 4, completed with warnings: the "members of Sales" restrictions of board, partners and mallory are reported
    // (MEMBERS_OF_RESTRICTION_CHANGED, core's rewire-onprem.ts), one line each.
    expect(result.code, result.stdout + result.stderr).toBe(4);
    expect(result.stdout.match(/MEMBERS_OF_RESTRICTION_CHANGED/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    for (const step of [
      'capture',
      'validate',
      'stage',
      'park',
      'await-deletion',
      'take-over',
      'dispose',
      'rewire-onprem',
      'rewire-cloud',
      'report',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^ok\\tsales@contoso\\.com  ${step}$`, 'm'));
    }
    expect(result.stdout).toMatch(/^skip\tsales@contoso\.com {2}hybrid-mail-flow\tskipped$/m);
    id = /^Migration (\S+) of sales@contoso\.com: completed with warnings$/m.exec(result.stdout)![1]!;
    expect(statSync(html).mode & 0o777).toBe(0o600);
    expect(readFileSync(html, 'utf8')).toContain('sales@contoso.com');
    // On-premises the address now belongs to the routing contact, not to the group.
    expect(await dnOf('sales@contoso.com')).toBeUndefined();
    expect(await dnOf('sales-MigratedByScript@contoso.com')).toMatch(/^CN=Sales-MigratedByScript,/);
  });

  it('lists it in status and shows its journal', async () => {
    const all = JSON.parse((await run(['status', '--json'])).stdout) as {
      migrations: { id: string; status: string }[];
    };
    expect(all.migrations.find((m) => m.id === id)?.status).toBe('completed_with_warnings');
    const one = await run(['status', id]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^ok\ttake-over completed\t/m);
    const missing = await run(['status', 'no-such-id']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no migration no-such-id.');
  });

  it('renders the stored report again, and refuses to migrate the group twice', async () => {
    const html = join(cwd, 'again.html');
    const report = await run(['report', id, '--html', html]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(`migration ${id} of sales@contoso.com: completed_with_warnings`);
    expect(readFileSync(html, 'utf8')).toContain('What changed');

    const twice = await run(['migrate', 'sales@contoso.com']);
    expect(twice.code).toBe(3);
  });
});

describe('resume after a kill', () => {
  it('continues a migration whose process was killed right after the group was parked', async () => {
    const crashed = await stopped(['migrate', 'contractors@contoso.com'], {
      stream: 'stdout',
      when: /^ok\tcontractors@contoso\.com {2}park$/m,
      signal: 'SIGKILL',
    });
    expect(crashed.signal).toBe('SIGKILL');

    const status = JSON.parse((await run(['status', '--json'])).stdout) as {
      migrations: { id: string; group: { address: string }; status: string }[];
    };
    const killed = status.migrations.find((m) => m.group.address === 'contractors@contoso.com')!;
    expect(['running', 'parked']).toContain(killed.status);
    // Parked: the group sits in the non-sync OU while its migration waits.
    expect(await dnOf('contractors@contoso.com')).toMatch(/,OU=NonSync,/);

    // The killed run still holds the group: migrating it again changes nothing and points to resume.
    const again = await run(['migrate', 'contractors@contoso.com']);
    expect(again.code, again.stdout + again.stderr).toBe(3);
    expect(again.stderr).toContain(`already has an open migration ${killed.id}; nothing was changed.`);
    expect(again.stderr).toContain(`dlmigrate resume ${killed.id}`);
    const againJson = JSON.parse((await run(['migrate', 'contractors@contoso.com', '--json'])).stdout) as {
      ok: boolean;
      problems: string[];
    };
    expect(againJson).toMatchObject({
      ok: false,
      problems: [`continue it with: dlmigrate resume ${killed.id}`],
    });

    const resumed = await run(['resume', killed.id]);
    // 4: the restrictions of sales and mallory by the members of contractors are reported (members-of findings)
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(4);
    expect(resumed.stdout).toMatch(/^ok\tcontractors@contoso\.com {2}take-over$/m);
    expect(resumed.stdout).not.toMatch(/^ok\tcontractors@contoso\.com {2}stage$/m);
    expect(resumed.stdout).toContain(`Migration ${killed.id} of contractors@contoso.com: completed`);
  });
});

describe('Ctrl-C', () => {
  it('stops after the call in flight, journals, prints the resume command, exits 130; resume finishes', async () => {
    // --json prints nothing until the end; --verbose shows each step starting on stderr: Ctrl-C during stage.
    const {
      code,
      signal,
      stdout: out,
      stderr: err,
    } = await stopped(['migrate', 'partners@contoso.com', '--json', '--verbose'], {
      stream: 'stderr',
      when: /partners@contoso\.com: stage started/,
      signal: 'SIGINT',
    });
    expect(code, out + err).toBe(130);
    expect(signal).toBeNull(); // ended by itself, not killed
    const result = JSON.parse(out) as { migrationId: string; status: string; stopped: string; step: string };
    expect(result).toMatchObject({ status: 'running', stopped: 'SIGINT', step: 'park' }); // stage finished first
    expect(err).toContain('SIGINT: stopping after the call in flight');

    // 4, completed with warnings: groups.finance rejects the members of partners (MEMBERS_OF_RESTRICTION_CHANGED)
    const resumed = await run(['resume', result.migrationId]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(4);
    expect(resumed.stdout).toContain(`Migration ${result.migrationId} of partners@contoso.com: completed`);
    expect(resumed.stdout).toMatch(/^warn\tMEMBERS_OF_RESTRICTION_CHANGED {2}CN=Finance,/m);
  });

  it('says what to run next in text mode too', async () => {
    const { code, stdout: out } = await stopped(['migrate', 'board@contoso.com'], {
      stream: 'stdout',
      when: /^ok\tboard@contoso\.com {2}validate$/m,
      signal: 'SIGTERM',
    });
    expect(code, out).toBe(130);
    const id = /^Migration (\S+) of board@contoso\.com: running/m.exec(out)?.[1];
    expect(id).toBeDefined();
    expect(out).toContain(`Stopped (SIGTERM); the journal is written. Continue with: dlmigrate resume ${id}`);
    expect((await run(['resume', id!])).code).toBe(0);
  });
});

describe('the ssh sync trigger', () => {
  it('migrates with Start-ADSyncSyncCycle run over SSH on a stand-in Entra Connect server', async () => {
    // The lab's config triggers the simulated sync over http; the stand-in server does that on success.
    const config = JSON.parse(readFileSync(lab.env()['DLMIGRATE_CONFIG']!, 'utf8')) as {
      sync: { url: string; caFile: string };
      state: { folder: string };
    };
    const server = await startEntraConnectSsh({
      syncUrl: config.sync.url,
      syncCaPem: readFileSync(config.sync.caFile, 'utf8'),
    });
    try {
      server.behave({ busy: 1 });
      const ssh = {
        DLMIGRATE_SYNC_KIND: 'ssh',
        DLMIGRATE_SYNC_HOST: server.host,
        DLMIGRATE_SYNC_PORT: String(server.port),
        DLMIGRATE_SYNC_USERNAME: server.username,
        DLMIGRATE_SYNC_KEY_FILE: server.clientKeyFile,
        DLMIGRATE_SYNC_HOST_KEY: server.knownHostsEd25519,
      };
      const doctor = await dlmigrate(['doctor', '--json'], { cwd, env: { ...lab.env(), ...ssh } });
      const checks = JSON.parse(doctor.stdout).checks as { id: string; status: string; detail: string }[];
      expect(checks.find((c) => c.id === 'sync-trigger')).toMatchObject({
        status: 'ok',
        detail: expect.stringContaining('host key matches the pin, key accepted'),
      });
      expect(server.calls()).toEqual([]);

      const logsBefore = new Set(readdirSync(join(config.state.folder, 'logs')));
      // The first call finds a cycle running (the stand-in says so once); the trigger waits and retries.
      const result = await dlmigrate(['migrate', 'hidden-approvals@contoso.com', '--verbose'], {
        cwd,
        env: { ...lab.env(), ...ssh, DLMIGRATE_SYNC_BUSY_WAIT_SECONDS: '1' },
      });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(server.calls().map((c) => c.command)).toEqual([
        expect.stringContaining('Start-ADSyncSyncCycle -PolicyType Delta'),
        expect.stringContaining('Start-ADSyncSyncCycle -PolicyType Delta'),
      ]);
      // No secret of dlmigrate's reaches the server, although sshd would accept DLMIGRATE_* variables.
      expect(server.calls().flatMap((c) => c.envNames.filter((n) => n.startsWith('DLMIGRATE_')))).toEqual([]);
      const log = readdirSync(join(config.state.folder, 'logs')).find(
        (f) => f.startsWith('migrate-') && !logsBefore.has(f),
      )!;
      const entries = readFileSync(join(config.state.folder, 'logs', log), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { sync?: { outcome: string; stdout: string; stderr: string } })
        .flatMap((e) => (e.sync ? [e.sync] : []));
      expect(entries.map((e) => e.outcome)).toEqual(['busy', 'accepted']);
      expect(entries[0]!.stderr).toContain('Sync is already running');
      expect(entries[1]!.stdout).toContain('Success');
    } finally {
      await server.stop();
    }
  });
});
