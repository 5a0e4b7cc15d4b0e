// doctor against the real Samba lab (instance "cli"): LDAPS with the lab's own CA, a real bind, the
// Exchange schema the lab installs and the fixture's non-sync OU.
import { CloudSim } from '@dlmigrate/cloud-sim';
import { Lab, type LabEnv } from '@dlmigrate/lab';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dlmigrate, tempDir } from './helpers/cli.js';
import { closedPort, shortLivedAppCertificate } from './helpers/tls.js';

const PASSPHRASE = 'doctor-passphrase-42';

// Whether the lab's schema carries the Exchange schema version object decides whether the schema check is
// ok or (version unknown) a warning; read from the lab's own LDIF, independently of the code under test.
const LAB_SCHEMA_HAS_VERSION = readFileSync(
  fileURLToPath(new URL('../../../packages/lab/schema/exchange-schema.ldif', import.meta.url)),
  'utf8',
).includes('ms-Exch-Schema-Version-Pt');
const GOOD_EXIT = LAB_SCHEMA_HAS_VERSION ? 0 : 4;

interface Check {
  id: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

describe('dlmigrate doctor', () => {
  const dir = tempDir('doctor');
  let lab: LabEnv;
  let nonSyncOu: string;
  let app: { cert: string; key: string; pfx: string };
  let other: { key: string };
  let short: { cert: string; key: string };
  let sim: CloudSim;
  let tenant: { tenantId: string; clientId: string; caFile: string; url: string };

  beforeAll(async () => {
    const instance = await Lab.ensure({ name: 'cli' });
    lab = instance.env();
    nonSyncOu = instance.seeded()!.objects['ous.nonSync']!.dn;
    const env = { DLMIGRATE_PFX_PASSPHRASE: PASSPHRASE };
    app = JSON.parse(
      (await dlmigrate(['auth', 'init', '--json', '--out', 'app'], { cwd: dir, env })).stdout,
    ).files;
    other = JSON.parse(
      (await dlmigrate(['auth', 'init', '--json', '--out', 'other'], { cwd: dir, env })).stdout,
    ).files;
    short = shortLivedAppCertificate(dir, 10);
    // The tenant side: the simulator in this process, the app registered with both certificates used below.
    sim = await CloudSim.start({ host: '127.0.0.1', port: 0 });
    const created = sim.createTenant({ name: 'contoso', domains: ['contoso.com'] });
    const registered = sim.registerApp(created.id, {
      certificates: [readFileSync(app.cert, 'utf8'), readFileSync(short.cert, 'utf8')],
      exchangeRoles: ['Address Lists'],
    });
    const caFile = join(dir, 'cloud-ca.pem');
    writeFileSync(caFile, sim.caPem);
    tenant = { tenantId: created.id, clientId: registered.clientId, caFile, url: sim.url };
  }, 600_000);

  afterAll(async () => {
    await sim?.stop();
  });

  function configure(overrides: { ad?: object; tenant?: object; sync?: object } = {}): string {
    const cwd = tempDir('doctor-run');
    const config = {
      ad: {
        url: lab.url,
        bindDn: lab.bindDn,
        caFile: lab.caFile,
        nonSyncOu,
        timeoutSeconds: 5,
        ...overrides.ad,
      },
      tenant: {
        tenantId: tenant.tenantId,
        clientId: tenant.clientId,
        certificate: { pemCertFile: app.cert, pemKeyFile: app.key },
        cloud: 'custom',
        endpoints: { url: tenant.url },
        caFile: tenant.caFile,
        ...overrides.tenant,
      },
      sync: { kind: 'none', ...overrides.sync },
    };
    writeFileSync(join(cwd, 'dlmigrate.config.json'), JSON.stringify(config));
    return cwd;
  }

  async function doctor(
    cwd: string,
    env: Record<string, string> = { DLMIGRATE_AD_PASSWORD: lab.bindPassword },
    args: string[] = [],
  ) {
    const run = await dlmigrate(['doctor', '--json', ...args], { cwd, env });
    const doc = JSON.parse(run.stdout) as {
      ok: boolean;
      exitCode: number;
      checks: Check[];
      log: string | null;
    };
    return { run, doc, check: (id: string) => doc.checks.find((c) => c.id === id) };
  }

  it('passes a good configuration with exit code 0 and logs the run as JSON lines, owner-only, without the password', async () => {
    const cwd = configure();
    const { run, doc, check } = await doctor(cwd);
    expect(run.code, JSON.stringify(doc.checks, null, 2)).toBe(GOOD_EXIT);
    expect(doc.checks.map((c) => c.id)).toEqual([
      'state-folder',
      'file-permissions',
      'ad-tls-verify',
      'ad-tls',
      'ad-bind',
      'ad-exchange-schema',
      'ad-non-sync-ou',
      'certificate',
      'certificate-expiry',
      'exchange-token',
      'exchange-app-role',
      'exchange-directory-role',
      'graph-token',
      'graph-app-roles',
      'graph-reference-roles',
      'exchange-domains',
      'exchange-group-manager-bypass',
      'exchange-address-lists',
      'sync-trigger',
    ]);
    expect(doc.checks.filter((c) => c.status !== 'ok').map((c) => c.id)).toEqual(
      LAB_SCHEMA_HAS_VERSION ? [] : ['ad-exchange-schema'],
    );
    expect(check('ad-bind')?.detail).toBe(`domain ${lab.baseDn}`);
    expect(check('ad-exchange-schema')?.detail).toMatch(
      LAB_SCHEMA_HAS_VERSION ? /^version \d+/ : /^attributes present, schema version unknown/,
    );
    expect(check('ad-non-sync-ou')?.detail).toBe(nonSyncOu);
    expect(check('certificate-expiry')?.detail).toMatch(/\(7\d\d days\)/);

    const logs = readdirSync(join(cwd, '.dlmigrate', 'logs'));
    expect(logs).toHaveLength(1);
    const logFile = join(cwd, '.dlmigrate', 'logs', logs[0]!);
    expect(doc.log).toBe(logFile);
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
    const log = readFileSync(logFile, 'utf8');
    const entries = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { check: Check });
    expect(entries.map((e) => e.check.id)).toEqual(doc.checks.map((c) => c.id));
    expect(log + run.stdout + run.stderr).not.toContain(lab.bindPassword);
  });

  it('fails the bind with a wrong password or without one, saying what to set', async () => {
    const cwd = configure();
    const wrong = await doctor(cwd, { DLMIGRATE_AD_PASSWORD: 'not-the-password' });
    expect(wrong.run.code).toBe(1);
    expect(wrong.check('ad-bind')).toMatchObject({
      status: 'fail',
      fix: 'check ad.bindDn and DLMIGRATE_AD_PASSWORD',
    });
    expect(wrong.check('ad-bind')?.detail).toMatch(/^AD_INVALID_CREDENTIALS/);
    expect(wrong.check('ad-exchange-schema')).toBeUndefined();

    const none = await doctor(cwd, {});
    expect(none.run.code).toBe(1);
    expect(none.check('ad-bind')).toMatchObject({ status: 'fail', detail: 'no password' });
  });

  it('accepts --ad-password only with --insecure-password-flag, warns, and never echoes it', async () => {
    const cwd = configure();
    const refused = await dlmigrate(['doctor', '--ad-password', lab.bindPassword], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Refusing --ad-password');
    expect(refused.stderr).toContain('--insecure-password-flag');
    expect(refused.stderr + refused.stdout).not.toContain(lab.bindPassword);

    const accepted = await dlmigrate(
      ['doctor', '--ad-password', lab.bindPassword, '--insecure-password-flag'],
      { cwd },
    );
    expect(accepted.code, accepted.stdout).toBe(GOOD_EXIT);
    expect(accepted.stderr).toContain('warning: --ad-password is visible in shell history');
    expect(accepted.stderr + accepted.stdout).not.toContain(lab.bindPassword);
  });

  it('fails when the DC certificate does not verify, and says to set ad.caFile', async () => {
    const { run, check } = await doctor(configure({ ad: { caFile: undefined } }));
    expect(run.code).toBe(1);
    expect(check('ad-tls')?.status).toBe('fail');
    expect(check('ad-tls')?.fix).toContain('ad.caFile');
    expect(check('ad-bind')).toMatchObject({
      status: 'fail',
      fix: 'set ad.caFile to the PEM of the CA that issued the DC certificate',
    });
  });

  it('only warns when verification is switched off, but says why that is dangerous', async () => {
    const { run, check } = await doctor(configure({ ad: { caFile: undefined, rejectUnauthorized: false } }));
    expect(run.code).toBe(4);
    expect(check('ad-tls-verify')?.detail).toContain('password can be intercepted');
    expect(check('ad-tls')?.status).toBe('warn');
    expect(check('ad-bind')?.status).toBe('ok');
  });

  it('fails when nothing listens on the DC port', async () => {
    const port = await closedPort();
    const { run, check } = await doctor(configure({ ad: { url: `ldaps://127.0.0.1:${port}` } }));
    expect(run.code).toBe(1);
    expect(check('ad-tls')).toMatchObject({ status: 'fail', fix: 'check the host, port and firewall' });
    expect(check('ad-tls')?.detail).toContain('ECONNREFUSED');
    expect(check('ad-bind')?.detail).toMatch(/^AD_UNREACHABLE/);
  });

  it('fails on a missing non-sync OU and warns when none is configured', async () => {
    const missing = await doctor(configure({ ad: { nonSyncOu: `OU=Nowhere,${lab.baseDn}` } }));
    expect(missing.run.code).toBe(1);
    expect(missing.check('ad-non-sync-ou')).toMatchObject({
      status: 'fail',
      detail: `OU=Nowhere,${lab.baseDn} does not exist`,
    });

    const unset = await doctor(configure({ ad: { nonSyncOu: undefined } }));
    expect(unset.run.code).toBe(4);
    expect(unset.check('ad-non-sync-ou')?.status).toBe('warn');
  });

  it('fails on a missing certificate file and on a key that belongs to another certificate', async () => {
    const missing = await doctor(
      configure({ tenant: { certificate: { pemCertFile: join(dir, 'nope.pem'), pemKeyFile: app.key } } }),
    );
    expect(missing.run.code).toBe(1);
    expect(missing.check('certificate')?.detail).toContain('nope.pem');
    expect(missing.check('certificate')?.fix).toContain('dlmigrate auth init');

    const mismatch = await doctor(
      configure({ tenant: { certificate: { pemCertFile: app.cert, pemKeyFile: other.key } } }),
    );
    expect(mismatch.run.code).toBe(1);
    expect(mismatch.check('certificate')?.detail).toBe('the private key does not belong to the certificate');
  });

  it('warns 30 days before the app certificate expires', async () => {
    const { run, check } = await doctor(
      configure({ tenant: { certificate: { pemCertFile: short.cert, pemKeyFile: short.key } } }),
    );
    expect(run.code).toBe(4);
    expect(check('certificate-expiry')?.status).toBe('warn');
    expect(check('certificate-expiry')?.detail).toMatch(/expires in (9|10) day\(s\)/);
  });

  it('warns when the app cannot read what Entra holds by a group id, nor address lists, and says what to add', async () => {
    const narrow = sim.registerApp(tenant.tenantId, {
      certificates: [readFileSync(app.cert, 'utf8')],
      roles: {
        'https://outlook.office365.com': ['Exchange.ManageAsApp'],
        'https://graph.microsoft.com': ['Group.Read.All', 'GroupMember.Read.All'],
      },
    });
    const { run, check } = await doctor(configure({ tenant: { clientId: narrow.clientId } }));
    expect(run.code).toBe(4);
    expect(check('graph-app-roles')?.status).toBe('ok');
    expect(check('graph-reference-roles')).toMatchObject({
      status: 'warn',
      detail: 'missing: Directory.Read.All, Policy.Read.All',
    });
    expect(check('graph-reference-roles')?.fix).toMatch(/admin consent/);
    expect(check('exchange-address-lists')?.status).toBe('warn');
    expect(check('exchange-address-lists')?.fix).toMatch(/Address Lists role/);
  });

  it('fails when the app may not use -BypassSecurityGroupManagerCheck, and names the roles that allow it', async () => {
    const recipientAdmin = sim.registerApp(tenant.tenantId, {
      certificates: [readFileSync(app.cert, 'utf8')],
      directoryRoles: ['Exchange Recipient Administrator'],
      exchangeRoles: ['Address Lists'],
    });
    const denied = await doctor(configure({ tenant: { clientId: recipientAdmin.clientId } }));
    expect(denied.run.code).not.toBe(0);
    expect(denied.check('exchange-group-manager-bypass')).toMatchObject({ status: 'fail' });
    expect(denied.check('exchange-group-manager-bypass')?.fix).toMatch(
      /Organization Management.*Security Group Creation and Membership/,
    );
    const withRole = sim.registerApp(tenant.tenantId, {
      certificates: [readFileSync(app.cert, 'utf8')],
      directoryRoles: ['Exchange Recipient Administrator'],
      exchangeRoles: ['Address Lists', 'Security Group Creation and Membership'],
    });
    const allowed = await doctor(configure({ tenant: { clientId: withRole.clientId } }));
    expect(allowed.check('exchange-group-manager-bypass')?.status).toBe('ok');
  });

  it('loads a PFX with the passphrase from the environment and never prints or logs it', async () => {
    const cwd = configure({ tenant: { certificate: { pfxFile: app.pfx } } });
    const { run, doc, check } = await doctor(
      cwd,
      { DLMIGRATE_AD_PASSWORD: lab.bindPassword, DLMIGRATE_PFX_PASSPHRASE: PASSPHRASE },
      ['--verbose'],
    );
    expect(run.code, run.stderr).toBe(GOOD_EXIT);
    expect(check('certificate')?.status).toBe('ok');
    expect(run.stdout + run.stderr).not.toContain(PASSPHRASE);
    expect(readFileSync(doc.log!, 'utf8')).not.toContain(PASSPHRASE);

    const without = await doctor(cwd);
    expect(without.run.code).toBe(1);
    expect(without.check('certificate')?.fix).toContain('DLMIGRATE_PFX_PASSPHRASE');
  });

  it('checks that the sync trigger can be reached: a missing program and a closed port fail', async () => {
    const command = await doctor(
      configure({ sync: { kind: 'command', command: '/nonexistent/Start-Sync' } }),
    );
    expect(command.run.code).toBe(1);
    expect(command.check('sync-trigger')?.detail).toContain('is not an executable file');

    const present = await doctor(configure({ sync: { kind: 'command', command: 'true' } }));
    expect(present.check('sync-trigger')?.status).toBe('ok');

    const http = await doctor(
      configure({ sync: { kind: 'http', url: `http://${lab.host}:636/sync`, allowInsecureHttp: true } }),
    );
    expect(http.check('sync-trigger')?.status).toBe('ok');
    const port = await closedPort();
    const down = await doctor(
      configure({ sync: { kind: 'http', url: `http://127.0.0.1:${port}/sync`, allowInsecureHttp: true } }),
    );
    expect(down.check('sync-trigger')).toMatchObject({
      status: 'fail',
      detail: `127.0.0.1:${port}: ECONNREFUSED`,
    });
  });

  it('reports missing sections as failures, and an invalid configuration with exit code 2', async () => {
    const none = await doctor(tempDir('doctor-run'));
    expect(none.run.code).toBe(1);
    expect(none.check('ad')?.fix).toContain('ad.url');
    expect(none.check('tenant')?.fix).toContain('dlmigrate auth init');

    const bad = await dlmigrate(['doctor', '--non-sync-ou', 'OU=Parked)(cn=*'], { cwd: configure() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ad.nonSyncOu (--non-sync-ou): must be a distinguished name');
  });

  it('prints one line per check on a pipe', async () => {
    const run = await dlmigrate(['doctor'], {
      cwd: configure(),
      env: { DLMIGRATE_AD_PASSWORD: lab.bindPassword },
    });
    expect(run.code).toBe(GOOD_EXIT);
    expect(run.stdout).toMatch(
      /^ok\tdomain controller TLS certificate verifies \(ldaps:\/\/127\.0\.0\.\d+:636\)\tcertificate CN=.+$/m,
    );
    expect(run.stdout).toMatch(
      LAB_SCHEMA_HAS_VERSION
        ? /^ok\tExchange schema is present\tversion \d+/m
        : /^warn\tExchange schema is present\t/m,
    );
    expect(run.stdout).toContain('All checks passed');
  });
});
