import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { dlmigrate, tempDir } from './helpers/cli.js';

const PASSPHRASE = 'correct-horse-battery-staple';
const env = { DLMIGRATE_PFX_PASSPHRASE: PASSPHRASE };

describe('dlmigrate auth init', () => {
  const cwd = tempDir('auth');
  let run: Awaited<ReturnType<typeof dlmigrate>>;
  let doc: {
    files: { cert: string; key: string; pfx: string };
    thumbprints: { sha1: string; sha256: string };
    notBefore: string;
    notAfter: string;
    requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
    permissions: { name: string; id: string | null }[];
    configSnippet: {
      tenant: {
        tenantId: string;
        clientId: string;
        certificate: { pemCertFile: string; pemKeyFile: string };
      };
    };
  };

  it('creates certificate, key and PFX, the key files owner-only', async () => {
    run = await dlmigrate(
      [
        'auth',
        'init',
        '--json',
        '--out',
        'certs',
        '--tenant-id',
        'contoso.onmicrosoft.com',
        '--client-id',
        '11111111-2222-3333-4444-555555555555',
      ],
      { cwd, env },
    );
    expect(run.code, run.stderr).toBe(0);
    doc = JSON.parse(run.stdout);
    expect(doc.files.cert).toBe(join(cwd, 'certs', 'dlmigrate.cert.pem'));
    expect(statSync(doc.files.key).mode & 0o777).toBe(0o600);
    expect(statSync(doc.files.pfx).mode & 0o777).toBe(0o600);
  });

  it('is RSA 2048, SHA-256 signed, valid for two years, and the key belongs to the certificate', () => {
    const cert = new X509Certificate(readFileSync(doc.files.cert));
    const key = createPrivateKey(readFileSync(doc.files.key));
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const text = execFileSync('openssl', ['x509', '-in', doc.files.cert, '-noout', '-text'], {
      encoding: 'utf8',
    });
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text).toContain('Public-Key: (2048 bit)');
    const years =
      (new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime()) / (365.25 * 86_400_000);
    expect(years).toBeGreaterThan(1.99);
    expect(years).toBeLessThan(2.01);
    expect(new Date(doc.notAfter).toISOString()).toBe(new Date(cert.validTo).toISOString());
  });

  it('prints thumbprints that node crypto and openssl agree with', () => {
    const cert = new X509Certificate(readFileSync(doc.files.cert));
    expect(doc.thumbprints.sha1).toBe(cert.fingerprint.replaceAll(':', ''));
    expect(doc.thumbprints.sha256).toBe(createHash('sha256').update(cert.raw).digest('hex').toUpperCase());
    const openssl = execFileSync(
      'openssl',
      ['x509', '-in', doc.files.cert, '-noout', '-fingerprint', '-sha256'],
      { encoding: 'utf8' },
    );
    expect(openssl.trim().split('=')[1]!.replaceAll(':', '')).toBe(doc.thumbprints.sha256);
  });

  it('writes a PFX that node and openssl load with the passphrase, and not without it', () => {
    const pfx = readFileSync(doc.files.pfx);
    expect(() => createSecureContext({ pfx, passphrase: PASSPHRASE })).not.toThrow();
    expect(() => createSecureContext({ pfx, passphrase: 'wrong passphrase' })).toThrow();
    const pem = execFileSync(
      'openssl',
      ['pkcs12', '-in', doc.files.pfx, '-passin', `pass:${PASSPHRASE}`, '-nokeys'],
      { encoding: 'utf8' },
    );
    expect(new X509Certificate(pem.slice(pem.indexOf('-----BEGIN'))).fingerprint256.replaceAll(':', '')).toBe(
      doc.thumbprints.sha256,
    );
  });

  it('lists Exchange.ManageAsApp and the Graph application permissions, never an unconfirmed id', () => {
    const exchange = doc.requiredResourceAccess.find(
      (r) => r.resourceAppId === '00000002-0000-0ff1-ce00-000000000000',
    );
    expect(exchange?.resourceAccess).toEqual([{ id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', type: 'Role' }]);
    const graph = doc.requiredResourceAccess.find(
      (r) => r.resourceAppId === '00000003-0000-0000-c000-000000000000',
    );
    expect(graph?.resourceAccess.map((a) => a.id)).toEqual([
      '5b567255-7703-4780-807c-7be8301ae99b',
      '98830695-27a2-44f7-8c18-0c3ebc9698f6',
      '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
      '246dd0d5-5bd0-4def-940b-0421030a5b68',
    ]);
    expect(
      doc.permissions.find((p) => p.name === 'Group-OnPremisesSyncBehavior.ReadWrite.All')?.id,
    ).toBeNull();
    expect(doc.permissions.some((p) => p.name === 'Synchronization.ReadWrite.All')).toBe(false);
    expect(doc.configSnippet.tenant).toMatchObject({
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '11111111-2222-3333-4444-555555555555',
    });
  });

  it('never prints the passphrase or the private key', () => {
    const key = readFileSync(doc.files.key, 'utf8');
    const keyBody = key.split('\n')[1]!;
    expect(run.stdout + run.stderr).not.toContain(PASSPHRASE);
    expect(run.stdout + run.stderr).not.toContain(keyBody);
  });

  it('produces a config snippet that the config loader accepts as it is', async () => {
    writeFileSync(join(cwd, 'dlmigrate.config.json'), JSON.stringify(doc.configSnippet));
    const show = await dlmigrate(['config', 'show', '--json'], { cwd });
    expect(show.code, show.stderr + show.stdout).toBe(0);
    expect(JSON.parse(show.stdout).config.tenant.certificate.pemKeyFile).toBe(doc.files.key);
  });

  it('adds Synchronization.ReadWrite.All for a Cloud Sync trigger, and prints text on a pipe', async () => {
    const other = tempDir('auth');
    const text = await dlmigrate(['auth', 'init', '--cloud-sync-trigger'], { cwd: other, env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Synchronization.ReadWrite.All  9b50c33d-700f-43b1-b2eb-87e89b703581');
    expect(text.stdout).toMatch(/^SHA-1: +[0-9A-F]{40}$/m);
    expect(text.stdout).toMatch(/^SHA-256: +[0-9A-F]{64}$/m);
    expect(text.stdout).toContain('Exchange Administrator (29232cdf-9323-42fd-ade2-1d097af3e4de)');
    expect(text.stdout).toContain('its app role id must be looked up');
  });

  it('refuses to overwrite existing files unless --force, changing nothing', async () => {
    const before = readFileSync(doc.files.key, 'utf8');
    const again = await dlmigrate(['auth', 'init', '--out', 'certs'], { cwd, env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists (use --force to replace it)');
    expect(readFileSync(doc.files.key, 'utf8')).toBe(before);

    const forced = await dlmigrate(['auth', 'init', '--out', 'certs', '--force'], { cwd, env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(doc.files.key, 'utf8')).not.toBe(before);
    expect(statSync(doc.files.key).mode & 0o777).toBe(0o600);
  });

  it('rejects a missing or short passphrase and bad ids without creating files', async () => {
    const empty = tempDir('auth');
    const noSecret = await dlmigrate(['auth', 'init'], { cwd: empty });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('The PFX passphrase is missing');
    expect(noSecret.stderr).toContain('DLMIGRATE_PFX_PASSPHRASE');

    const short = await dlmigrate(['auth', 'init'], { cwd: empty, env: { DLMIGRATE_PFX_PASSPHRASE: 'abc' } });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('too short');

    const badIds = await dlmigrate(
      ['auth', 'init', '--client-id', 'x', '--tenant-id', 'a b', '--name', '../evil'],
      { cwd: empty, env },
    );
    expect(badIds.code).toBe(2);
    expect(badIds.stderr).toContain('--client-id: must be a GUID');
    expect(badIds.stderr).toContain('--tenant-id: must be the tenant GUID');
    expect(badIds.stderr).toContain('--name: use letters, digits');
    expect(existsSync(join(empty, 'certs'))).toBe(false);
  });
});
