// Test certificates generated at test time (never committed): RSA key from node:crypto, X.509
// built with node-forge, optionally packed into a PFX.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export interface TestCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

export function makeCertificate(
  options: { cn?: string; notBefore?: Date; notAfter?: Date; serverIp?: string } = {},
): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgePublic = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  const forgePrivate = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  const cert = forge.pki.createCertificate();
  cert.publicKey = forgePublic;
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  const now = Date.now();
  cert.validity.notBefore = options.notBefore ?? new Date(now - 60_000);
  cert.validity.notAfter = options.notAfter ?? new Date(now + 365 * 24 * 3600_000);
  const attrs = [{ name: 'commonName', value: options.cn ?? 'dlmigrate-test' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  if (options.serverIp) {
    // A self-signed TLS server certificate that is also its own CA (trusted via the client's `ca`).
    cert.setExtensions([
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: options.serverIp }] },
    ]);
  }
  cert.sign(forgePrivate, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

export function toPfx(cert: TestCertificate, passphrase: string): Buffer {
  const p12 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(cert.keyPem),
    [forge.pki.certificateFromPem(cert.certPem)],
    passphrase,
    { algorithm: '3des' },
  );
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

/** Write the certificate as PEM pair and PFX into a fresh 0700 temp dir (files 0600). */
export async function writeCertificateFiles(cert: TestCertificate, passphrase: string) {
  const dir = await mkdtemp(join(tmpdir(), 'exo-cert-'));
  await chmod(dir, 0o700);
  const certificatePath = join(dir, 'app.crt');
  const keyPath = join(dir, 'app.key');
  const pfxPath = join(dir, 'app.pfx');
  await writeFile(certificatePath, cert.certPem, { mode: 0o600 });
  await writeFile(keyPath, cert.keyPem, { mode: 0o600 });
  await writeFile(pfxPath, toPfx(cert, passphrase), { mode: 0o600 });
  return { dir, certificatePath, keyPath, pfxPath };
}
