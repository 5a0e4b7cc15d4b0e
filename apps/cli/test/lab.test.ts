// `dlmigrate lab up|reset|down` for real: the Samba lab instance "cli", the cloud simulator as its own
// process, and doctor run against the config that lab up writes (passing and failing tenants).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, describe, expect, it } from 'vitest';
import { dlmigrate, tempDir } from './helpers/cli.js';

interface Up {
  ok: boolean;
  cloudSim: { url: string; pid: number };
  tenantId: string;
  config: string;
  adPasswordFile: string;
  synced: number;
  groups: { key: string; mail: string }[];
}
interface Check {
  id: string;
  status: string;
  detail: string;
  fix?: string;
}

const cwd = tempDir('lab');
const alive = (pid: number) => existsSync(`/proc/${pid}`);

function controlPlane(up: Up, caPem: string, path: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${up.cloudSim.url}${path}`,
      { method: 'POST', ca: caPem, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('dlmigrate lab', () => {
  let up: Up;
  const doctor = async (args: string[] = []) => {
    const run = await dlmigrate(['doctor', '--json', ...args], {
      cwd,
      env: { DLMIGRATE_CONFIG: up.config, DLMIGRATE_AD_PASSWORD_FILE: up.adPasswordFile },
    });
    const checks = (JSON.parse(run.stdout) as { checks: Check[] }).checks;
    return { run, checks, check: (id: string) => checks.find((c) => c.id === id) };
  };

  afterAll(async () => {
    // Never leave the simulator running, even when a test failed half-way.
    await dlmigrate(['lab', 'down', '--name', 'cli'], { cwd });
  });

  it('brings up the lab and the simulated tenant, synced, with a ready config and owner-only secrets', async () => {
    const run = await dlmigrate(['lab', 'up', '--name', 'cli', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    up = JSON.parse(run.stdout) as Up;
    expect(up.ok).toBe(true);
    expect(alive(up.cloudSim.pid)).toBe(true);
    expect(up.synced).toBeGreaterThan(0);
    expect(up.groups.map((g) => g.mail)).toContain('sales@contoso.com');
    expect(statSync(up.config).mode & 0o777).toBe(0o600);
    expect(statSync(up.adPasswordFile).mode & 0o777).toBe(0o600);
    const password = readFileSync(up.adPasswordFile, 'utf8').trim();
    expect(run.stdout + run.stderr).not.toContain(password);
    expect(readFileSync(up.config, 'utf8')).not.toContain(password);

    const shown = await dlmigrate(['config', 'show', '--json', '--config', up.config], { cwd });
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).config).toMatchObject({
      tenant: { cloud: 'custom', tenantId: up.tenantId, endpoints: { url: up.cloudSim.url } },
      sync: { kind: 'http', url: `${up.cloudSim.url}/_sim/sync/run` },
    });
  });

  it('doctor passes every check against it, the tenant included', async () => {
    const { run, checks } = await doctor();
    expect(run.code, JSON.stringify(checks, null, 2)).toBe(0);
    expect(checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'ad-bind',
        'exchange-token',
        'exchange-app-role',
        'exchange-directory-role',
        'graph-token',
        'graph-app-roles',
        'exchange-domains',
      ]),
    );
    expect(checks.every((c) => c.status === 'ok')).toBe(true);
  });

  it('doctor fails a wrong tenant and a certificate the app does not know', async () => {
    const wrongTenant = await doctor(['--tenant-id', '00000000-0000-0000-0000-000000000001']);
    expect(wrongTenant.run.code).toBe(1);
    expect(wrongTenant.check('exchange-token')).toMatchObject({
      status: 'fail',
      fix: 'see the message (AUTH_WRONG_TENANT)',
    });

    const made = await dlmigrate(['auth', 'init', '--json', '--out', 'stranger'], {
      cwd,
      env: { DLMIGRATE_PFX_PASSPHRASE: 'stranger-passphrase' },
    });
    const stranger = JSON.parse(made.stdout).files as { cert: string; key: string };
    const unknownCert = await doctor(['--pem-cert-file', stranger.cert, '--pem-key-file', stranger.key]);
    expect(unknownCert.run.code).toBe(1);
    expect(unknownCert.check('certificate')?.status).toBe('ok');
    expect(unknownCert.check('exchange-token')?.fix).toBe(
      'see the message (AUTH_CERTIFICATE_NOT_REGISTERED)',
    );
  });

  it('doctor names the permissions and role an under-privileged app lacks', async () => {
    const made = await dlmigrate(['auth', 'init', '--json', '--out', 'weak'], {
      cwd,
      env: { DLMIGRATE_PFX_PASSPHRASE: 'weak-passphrase' },
    });
    const weak = JSON.parse(made.stdout).files as { cert: string; key: string };
    const clientId = '22222222-3333-4444-5555-666666666666';
    const state = JSON.parse(
      readFileSync(up.config.replace(/dlmigrate\.config\.json$/, 'dlmigrate/cloud-sim-state.json'), 'utf8'),
    ) as { caPem: string };
    const status = await controlPlane(up, state.caPem, `/_sim/tenants/${up.tenantId}/apps`, {
      clientId,
      certificates: [readFileSync(weak.cert, 'utf8')],
      roles: {
        'https://outlook.office365.com': ['Exchange.ManageAsApp'],
        'https://graph.microsoft.com': ['Group.Read.All'],
      },
      directoryRoles: [],
    });
    expect(status).toBeLessThan(300);
    const { run, check } = await doctor([
      '--client-id',
      clientId,
      '--pem-cert-file',
      weak.cert,
      '--pem-key-file',
      weak.key,
    ]);
    expect(run.code).toBe(1);
    expect(check('exchange-token')?.status).toBe('ok');
    expect(check('graph-app-roles')).toMatchObject({
      status: 'fail',
      detail: 'missing: GroupMember.Read.All',
    });
    expect(check('exchange-directory-role')?.status).toBe('warn');
  });

  it('reset gives a fresh simulator process and a working config', async () => {
    const before = up.cloudSim.pid;
    const run = await dlmigrate(['lab', 'reset', '--name', 'cli', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    up = JSON.parse(run.stdout) as Up;
    expect(up.cloudSim.pid).not.toBe(before);
    expect(alive(before)).toBe(false);
    expect((await doctor()).run.code).toBe(0);
  });

  it('down stops the simulator by its PID, and is harmless when nothing runs', async () => {
    const run = await dlmigrate(['lab', 'down', '--name', 'cli', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      cloudSimPid: up.cloudSim.pid,
      labStopped: true,
    });
    expect(alive(up.cloudSim.pid)).toBe(false);

    const again = await dlmigrate(['lab', 'down', '--name', 'cli'], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('skip\tsimulated tenant stopped\twas not running');
  });

  it('rejects an invalid lab name without touching anything', async () => {
    const run = await dlmigrate(['lab', 'up', '--name', '../Evil'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Invalid lab name "../Evil"');
  });
});
