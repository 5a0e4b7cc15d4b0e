import { createHash, X509Certificate } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { makeCertificate, toPfx, writeCertificateFiles } from '../../test/helpers/certs.js';
import { CertificateError, certificateFromPem, certificateFromPfx, loadCertificate } from './certificate.js';

describe('certificate loading', () => {
  const cert = makeCertificate({ cn: 'app-cert' });
  const der = new X509Certificate(cert.certPem).raw;

  it('computes SHA-256 and SHA-1 thumbprints of the DER certificate', () => {
    const loaded = certificateFromPem(cert.certPem, cert.keyPem);
    expect(loaded.thumbprintSha256).toBe(createHash('sha256').update(der).digest('hex').toUpperCase());
    expect(loaded.thumbprintSha1).toBe(createHash('sha1').update(der).digest('hex').toUpperCase());
    expect(loaded.subject).toContain('app-cert');
    expect(loaded.privateKeyPem).toContain('BEGIN PRIVATE KEY');
  });

  it('reads a PFX with its passphrase and yields the same certificate', () => {
    const fromPfx = certificateFromPfx(toPfx(cert, 'p@ss w0rd'), 'p@ss w0rd');
    const fromPem = certificateFromPem(cert.certPem, cert.keyPem);
    expect(fromPfx.thumbprintSha256).toBe(fromPem.thumbprintSha256);
    expect(fromPfx.chainPem).toContain('BEGIN CERTIFICATE');
  });

  it('refuses a wrong PFX passphrase without echoing it', () => {
    const pfx = toPfx(cert, 'right-one');
    expect(() => certificateFromPfx(pfx, 'wrong-secret')).toThrow(CertificateError);
    try {
      certificateFromPfx(pfx, 'wrong-secret');
    } catch (e) {
      expect((e as Error).message).not.toContain('wrong-secret');
    }
  });

  it('refuses a key that does not belong to the certificate', () => {
    const other = makeCertificate();
    expect(() => certificateFromPem(cert.certPem, other.keyPem)).toThrow(/does not belong/);
  });

  it('refuses a file without a certificate block', () => {
    expect(() => certificateFromPem('not a cert', cert.keyPem)).toThrow(/BEGIN CERTIFICATE/);
  });

  it('loads from PEM files and PFX files', async () => {
    const files = await writeCertificateFiles(cert, 'secret');
    try {
      const pem = await loadCertificate({
        kind: 'pem',
        certificatePath: files.certificatePath,
        keyPath: files.keyPath,
      });
      const pfx = await loadCertificate({ kind: 'pfx', pfxPath: files.pfxPath, passphrase: 'secret' });
      expect(pfx.thumbprintSha256).toBe(pem.thumbprintSha256);
      await expect(loadCertificate({ kind: 'pfx', pfxPath: `${files.dir}/missing.pfx` })).rejects.toThrow(
        /Cannot read/,
      );
    } finally {
      await rm(files.dir, { recursive: true, force: true });
    }
  });
});
