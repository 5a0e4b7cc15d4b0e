import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dlmigrate, tempDir } from './helpers/cli.js';

const AD = { url: 'ldaps://file.contoso.com:636', bindDn: 'CN=svc-dlmigrate,OU=Service,DC=contoso,DC=com' };

async function show(cwd: string, args: string[] = [], env: Record<string, string> = {}) {
  const run = await dlmigrate(['config', 'show', '--json', ...args], { cwd, env });
  return { run, doc: run.stdout.trim() === '' ? undefined : JSON.parse(run.stdout) };
}

describe('configuration precedence: file < environment < flags', () => {
  it('takes a value from the file when nothing overrides it', async () => {
    const cwd = tempDir('cfg');
    writeFileSync(join(cwd, 'dlmigrate.config.json'), JSON.stringify({ ad: AD }));
    const { run, doc } = await show(cwd);
    expect(run.code).toBe(0);
    expect(doc.config.ad.url).toBe('ldaps://file.contoso.com:636');
    expect(doc.origins['ad.url']).toBe(`config file ${join(cwd, 'dlmigrate.config.json')}`);
    expect(doc.config.ad.rejectUnauthorized).toBe(true);
  });

  it('refuses a plain http:// endpoint unless allowInsecureHttp is set next to it', async () => {
    const cwd = tempDir('cfg');
    const sync = { kind: 'http', url: 'http://127.0.0.1:8080/_sim/sync/run' };
    writeFileSync(join(cwd, 'dlmigrate.config.json'), JSON.stringify({ ad: AD, sync }));
    const refused = await show(cwd);
    expect(refused.run.code).toBe(2);
    expect(refused.run.stdout).toContain('is plain http://: use https://, or set allowInsecureHttp: true');
    writeFileSync(
      join(cwd, 'dlmigrate.config.json'),
      JSON.stringify({ ad: AD, sync: { ...sync, allowInsecureHttp: true } }),
    );
    const allowed = await show(cwd);
    expect(allowed.run.code).toBe(0);
    expect(allowed.doc.config.sync.url).toBe(sync.url);
  });

  it('shows a password written into state.url as ***, in JSON and in text', async () => {
    const cwd = tempDir('cfg');
    const url = 'postgres://dlmigrate:S3cret-pw@db.contoso.com:5432/dlmigrate';
    writeFileSync(join(cwd, 'dlmigrate.config.json'), JSON.stringify({ ad: AD, state: { url } }));
    const { run, doc } = await show(cwd);
    expect(run.code).toBe(0);
    expect(doc.config.state.url).toBe('postgres://dlmigrate:***@db.contoso.com:5432/dlmigrate');
    expect(run.stdout).not.toContain('S3cret-pw');
    const text = await dlmigrate(['config', 'show'], { cwd, env: { DLMIGRATE_STATE_URL: url } });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('dlmigrate:***@db.contoso.com');
    expect(text.stdout + text.stderr).not.toContain('S3cret-pw');
  });

  it('lets the environment override the file, and a flag override both', async () => {
    const cwd = tempDir('cfg');
    writeFileSync(join(cwd, 'dlmigrate.config.json'), JSON.stringify({ ad: AD }));
    const env = { DLMIGRATE_AD_URL: 'ldaps://env.contoso.com:636', DLMIGRATE_AD_TIMEOUT_SECONDS: '45' };
    const fromEnv = await show(cwd, [], env);
    expect(fromEnv.doc.config.ad.url).toBe('ldaps://env.contoso.com:636');
    expect(fromEnv.doc.config.ad.timeoutSeconds).toBe(45);
    expect(fromEnv.doc.origins['ad.url']).toBe('DLMIGRATE_AD_URL');

    const fromFlag = await show(cwd, ['--ad-url', 'ldaps://flag.contoso.com:636'], env);
    expect(fromFlag.doc.config.ad.url).toBe('ldaps://flag.contoso.com:636');
    expect(fromFlag.doc.origins['ad.url']).toBe('--ad-url');
    expect(fromFlag.doc.config.ad.timeoutSeconds).toBe(45);
  });

  it('reads YAML, resolves relative paths against the config file, and honours --config and --no-<flag>', async () => {
    const cwd = tempDir('cfg');
    const folder = join(cwd, 'etc');
    await import('node:fs').then((fs) => fs.mkdirSync(folder));
    writeFileSync(
      join(folder, 'lab.yaml'),
      [
        'ad:',
        `  url: ${AD.url}`,
        `  bindDn: "${AD.bindDn}"`,
        '  caFile: ca.pem',
        'tenant:',
        '  tenantId: contoso.onmicrosoft.com',
        '  clientId: 11111111-2222-3333-4444-555555555555',
        '  certificate: { pfxFile: app.pfx }',
        'state: { folder: state }',
      ].join('\n'),
    );
    const { run } = await show(
      cwd,
      ['--config', 'etc/lab.yaml', '--no-ad-reject-unauthorized', '--pem-cert-file', 'x.pem'],
      {
        DLMIGRATE_TENANT_CERTIFICATE_PFX_FILE: '',
      },
    );
    // pemCertFile from a flag next to pfxFile from the file is contradictory: reported, not guessed.
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('give either pemCertFile + pemKeyFile or pfxFile, not both');

    const ok = await show(cwd, ['--config', 'etc/lab.yaml', '--no-ad-reject-unauthorized']);
    expect(ok.run.code).toBe(0);
    expect(ok.doc.config.ad.caFile).toBe(join(folder, 'ca.pem'));
    expect(ok.doc.config.tenant.certificate.pfxFile).toBe(join(folder, 'app.pfx'));
    expect(ok.doc.config.state.folder).toBe(join(folder, 'state'));
    expect(ok.doc.config.ad.rejectUnauthorized).toBe(false);
  });
});

describe('invalid configuration', () => {
  it('lists every problem at once with its source, exits 2, and changes nothing', async () => {
    const cwd = tempDir('cfg');
    writeFileSync(
      join(cwd, 'dlmigrate.config.json'),
      JSON.stringify({
        ad: {
          url: 'http://dc1',
          bindDn: 'x',
          password: 'Secr3t!pass',
          nonSyncOu: 'OU=Parked)(objectClass=*,DC=contoso',
        },
        tenant: { tenantId: 'not a tenant', clientId: '1234', certificate: {} },
        sync: { kind: 'command' },
        migration: { retainOriginalGroup: 'yes please' },
        extra: 1,
      }),
    );
    const run = await dlmigrate(['config', 'show'], { cwd, env: { DLMIGRATE_AD_START_TLS: 'maybe' } });
    expect(run.code).toBe(2);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(run.stderr).toMatch(/The configuration is not valid \(\d+ problems\); nothing was changed\./);
    const expected = [
      /ad\.password \(config file .*\): secrets do not belong in the config file/,
      /ad\.startTls \(DLMIGRATE_AD_START_TLS\): "maybe" is not a boolean/,
      /ad\.url \(config file .*\): must be an LDAP URL/,
      /ad\.nonSyncOu \(config file .*\): must be a distinguished name/,
      /tenant\.tenantId .*: must be the tenant GUID/,
      /tenant\.clientId .*: must be a GUID/,
      /tenant\.certificate: missing certificate: give pemCertFile \+ pemKeyFile or pfxFile \(dlmigrate auth init creates them\)/,
      /sync\.command: sync trigger "command" needs command/,
      /migration\.retainOriginalGroup/,
      /\(top level\).*Unrecognized key: "extra"/,
    ];
    for (const pattern of expected)
      expect(
        lines.some((l) => pattern.test(l)),
        String(pattern),
      ).toBe(true);
    expect(lines).toHaveLength(expected.length);
    // The secret's value is never echoed back, even though it was in the file.
    expect(run.stderr + run.stdout).not.toContain('Secr3t!pass');
  });

  it('refuses plain ldap:// without StartTLS (the password would travel in clear text)', async () => {
    const cwd = tempDir('cfg');
    const { run } = await show(cwd, [
      '--ad-url',
      'ldap://dc1.contoso.com',
      '--ad-bind-dn',
      'svc@contoso.com',
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('plain ldap:// would send the bind password in clear text');
    const ok = await show(cwd, [
      '--ad-url',
      'ldap://dc1.contoso.com',
      '--ad-bind-dn',
      'svc@contoso.com',
      '--ad-start-tls',
    ]);
    expect(ok.run.code).toBe(0);
  });

  it('checks the ssh sync trigger: every missing field, an unusable host key pin, relative key paths', async () => {
    const cwd = tempDir('cfg');
    writeFileSync(
      join(cwd, 'dlmigrate.config.json'),
      JSON.stringify({ sync: { kind: 'ssh', host: 'connect01' } }),
    );
    const missing = await dlmigrate(['config', 'show'], { cwd });
    expect(missing.code).toBe(2);
    for (const field of ['username', 'keyFile', 'hostKey'])
      expect(missing.stderr).toContain(`sync.${field}: sync trigger "ssh" needs ${field}`);
    const bad = await dlmigrate(
      ['config', 'show', '--sync-username', 'svc', '--sync-key-file', 'k', '--sync-host-key', 'connect01'],
      { cwd },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('sync.hostKey (--sync-host-key): expected a known_hosts line');
    writeFileSync(
      join(cwd, 'dlmigrate.config.json'),
      JSON.stringify({
        sync: {
          kind: 'ssh',
          host: 'connect01.contoso.com',
          username: 'CONTOSO\\svc-sync',
          keyFile: 'keys/sync',
          hostKey: 'SHA256:' + 'x'.repeat(43),
        },
      }),
    );
    const { run, doc } = await show(cwd, []);
    expect(run.code, run.stderr).toBe(0);
    expect(doc.config.sync).toMatchObject({ keyFile: join(cwd, 'keys', 'sync'), port: 22, busyRetries: 10 });
  });

  it('reports malformed JSON, YAML, a missing --config file and two competing config files', async () => {
    const json = tempDir('cfg');
    writeFileSync(join(json, 'dlmigrate.config.json'), '{ "ad": ');
    const badJson = await dlmigrate(['config', 'show'], { cwd: json });
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/dlmigrate\.config\.json is not valid JSON/);

    const yaml = tempDir('cfg');
    writeFileSync(join(yaml, 'dlmigrate.config.yml'), 'ad:\n  url: [unclosed\n');
    const badYaml = await dlmigrate(['config', 'show'], { cwd: yaml });
    expect(badYaml.code).toBe(2);
    expect(badYaml.stderr).toMatch(/dlmigrate\.config\.yml is not valid YAML/);

    const missing = await dlmigrate(['config', 'show', '--config', 'nowhere.json'], { cwd: json });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`Config file not found: ${join(json, 'nowhere.json')}`);

    writeFileSync(join(yaml, 'dlmigrate.config.json'), '{}');
    const two = await dlmigrate(['config', 'show'], { cwd: yaml });
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('More than one config file found');
  });

  it('prints the error as one JSON document with --json', async () => {
    const cwd = tempDir('cfg');
    const { run, doc } = await show(cwd, ['--client-id', 'abc', '--tenant-id', 'contoso.onmicrosoft.com']);
    expect(run.code).toBe(2);
    expect(doc.ok).toBe(false);
    expect(doc.exitCode).toBe(2);
    expect(doc.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^tenant\.clientId \(--client-id\): must be a GUID/)]),
    );
  });
});
