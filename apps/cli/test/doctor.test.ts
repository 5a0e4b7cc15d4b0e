import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dlmigrate, tempDir } from './helpers/cli.js';
import { createTestPki, shortLivedAppCertificate, startTlsServer, type TestPki } from './helpers/tls.js';

const PASSPHRASE = 'doctor-passphrase-42';

interface Check {
  id: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

describe('dlmigrate doctor', () => {
  const dir = tempDir('doctor');
  let pki: TestPki;
  let dc: { port: number; server: Server };
  let app: { cert: string; key: string; pfx: string };
  let other: { key: string };

  beforeAll(async () => {
    pki = createTestPki(dir);
    dc = await startTlsServer(pki);
    const env = { DLMIGRATE_PFX_PASSPHRASE: PASSPHRASE };
    const made = await dlmigrate(['auth', 'init', '--json', '--out', 'app'], { cwd: dir, env });
    app = JSON.parse(made.stdout).files;
    const second = await dlmigrate(['auth', 'init', '--json', '--out', 'other'], { cwd: dir, env });
    other = JSON.parse(second.stdout).files;
  });

  afterAll(() => dc.server.close());

  function configure(overrides: { ad?: object; tenant?: object; sync?: object } = {}): string {
    const cwd = tempDir('doctor-run');
    const config = {
      ad: { url: `ldaps://127.0.0.1:${dc.port}`, bindDn: 'CN=svc,DC=test', caFile: pki.caFile, timeoutSeconds: 5, ...overrides.ad },
      tenant: {
        tenantId: 'contoso.onmicrosoft.com',
        clientId: '11111111-2222-3333-4444-555555555555',
        certificate: { pemCertFile: app.cert, pemKeyFile: app.key },
        ...overrides.tenant,
      },
      sync: { kind: 'none', ...overrides.sync },
    };
    writeFileSync(join(cwd, 'dlmigrate.config.json'), JSON.stringify(config));
    return cwd;
  }

  async function doctor(cwd: string, env: Record<string, string> = {}, args: string[] = []) {
    const run = await dlmigrate(['doctor', '--json', ...args], { cwd, env });
    const doc = JSON.parse(run.stdout) as { ok: boolean; exitCode: number; checks: Check[]; log: string | null };
    return { run, doc, check: (id: string) => doc.checks.find((c) => c.id === id) };
  }

  it('passes a good configuration with exit code 0 and logs the run as JSON lines, owner-only', async () => {
    const cwd = configure();
    const { run, doc, check } = await doctor(cwd);
    expect(run.code, JSON.stringify(doc.checks, null, 2)).toBe(0);
    expect(doc.checks.map((c) => c.status)).not.toContain('fail');
    expect(check('ad-tls')).toMatchObject({ status: 'ok', detail: 'certificate CN=dc1.test' });
    expect(check('certificate')?.status).toBe('ok');
    expect(check('certificate-expiry')?.detail).toMatch(/\(7\d\d days\)/);
    expect(check('sync-trigger')?.status).toBe('ok');

    const logs = readdirSync(join(cwd, '.dlmigrate', 'logs'));
    expect(logs).toHaveLength(1);
    const logFile = join(cwd, '.dlmigrate', 'logs', logs[0]!);
    expect(doc.log).toBe(logFile);
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
    const entries = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { check: Check; runId: string });
    expect(entries.map((e) => e.check.id)).toEqual(doc.checks.map((c) => c.id));
  });

  it('fails when the DC certificate does not verify, and says to set ad.caFile', async () => {
    const cwd = configure({ ad: { caFile: undefined } });
    const { run, check } = await doctor(cwd);
    expect(run.code).toBe(1);
    expect(check('ad-tls')?.status).toBe('fail');
    expect(check('ad-tls')?.fix).toContain('ad.caFile');
  });

  it('only warns when verification is switched off, but says why that is dangerous', async () => {
    const cwd = configure({ ad: { caFile: undefined, rejectUnauthorized: false } });
    const { run, check } = await doctor(cwd);
    expect(run.code).toBe(4);
    expect(check('ad-tls-verify')).toMatchObject({ status: 'warn' });
    expect(check('ad-tls-verify')?.detail).toContain('password can be intercepted');
    expect(check('ad-tls')?.status).toBe('warn');
  });

  it('fails when nothing listens on the DC port', async () => {
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { run, check } = await doctor(configure({ ad: { url: `ldaps://127.0.0.1:${port}` } }));
    expect(run.code).toBe(1);
    expect(check('ad-tls')).toMatchObject({ status: 'fail', fix: 'check the host, port and firewall' });
    expect(check('ad-tls')?.detail).toContain('ECONNREFUSED');
  });

  it('fails on a missing certificate file and on a key that belongs to another certificate', async () => {
    const missing = await doctor(configure({ tenant: { certificate: { pemCertFile: join(dir, 'nope.pem'), pemKeyFile: app.key } } }));
    expect(missing.run.code).toBe(1);
    expect(missing.check('certificate')?.detail).toContain('nope.pem');
    expect(missing.check('certificate')?.fix).toContain('dlmigrate auth init');

    const mismatch = await doctor(configure({ tenant: { certificate: { pemCertFile: app.cert, pemKeyFile: other.key } } }));
    expect(mismatch.run.code).toBe(1);
    expect(mismatch.check('certificate')?.detail).toBe('the private key does not belong to the certificate');
  });

  it('warns 30 days before the app certificate expires', async () => {
    const short = shortLivedAppCertificate(dir, 10);
    const { run, check } = await doctor(configure({ tenant: { certificate: { pemCertFile: short.cert, pemKeyFile: short.key } } }));
    expect(run.code).toBe(4);
    expect(check('certificate-expiry')?.status).toBe('warn');
    expect(check('certificate-expiry')?.detail).toMatch(/expires in (9|10) day\(s\)/);
  });

  it('loads a PFX with the passphrase from the environment and never prints or logs it', async () => {
    const cwd = configure({ tenant: { certificate: { pfxFile: app.pfx } } });
    const { run, doc, check } = await doctor(cwd, { DLMIGRATE_PFX_PASSPHRASE: PASSPHRASE }, ['--verbose']);
    expect(run.code, run.stderr).toBe(0);
    expect(check('certificate')?.status).toBe('ok');
    expect(run.stdout + run.stderr).not.toContain(PASSPHRASE);
    expect(readFileSync(doc.log!, 'utf8')).not.toContain(PASSPHRASE);

    const without = await doctor(cwd);
    expect(without.run.code).toBe(1);
    expect(without.check('certificate')?.fix).toContain('DLMIGRATE_PFX_PASSPHRASE');
  });

  it('checks that the sync trigger can be reached: a missing program and a closed port fail', async () => {
    const command = await doctor(configure({ sync: { kind: 'command', command: '/nonexistent/Start-Sync' } }));
    expect(command.run.code).toBe(1);
    expect(command.check('sync-trigger')?.detail).toContain('is not an executable file');

    const present = await doctor(configure({ sync: { kind: 'command', command: 'true' } }));
    expect(present.check('sync-trigger')?.status).toBe('ok');

    const http = await doctor(configure({ sync: { kind: 'http', url: `http://127.0.0.1:${dc.port}/sync` } }));
    expect(http.check('sync-trigger')?.status).toBe('ok');
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await doctor(configure({ sync: { kind: 'http', url: `http://127.0.0.1:${port}/sync` } }));
    expect(down.check('sync-trigger')).toMatchObject({ status: 'fail', detail: `127.0.0.1:${port}: ECONNREFUSED` });
  });

  it('reports missing sections as failures, and an invalid configuration with exit code 2', async () => {
    const empty = tempDir('doctor-run');
    const none = await doctor(empty);
    expect(none.run.code).toBe(1);
    expect(none.check('ad')?.fix).toContain('ad.url');
    expect(none.check('tenant')?.fix).toContain('dlmigrate auth init');

    const bad = await dlmigrate(['doctor', '--non-sync-ou', 'OU=Parked)(cn=*'], { cwd: configure() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ad.nonSyncOu (--non-sync-ou): must be a distinguished name');
  });

  it('prints one line per check on a pipe', async () => {
    const run = await dlmigrate(['doctor'], { cwd: configure() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok\tdomain controller TLS certificate verifies \(ldaps:\/\/127\.0\.0\.1:\d+\)\tcertificate CN=dc1\.test$/m);
    expect(run.stdout).toContain('All checks passed.');
  });
});
