// The app-only certificate `dlmigrate auth init` creates: RSA 2048, SHA-256 signature, valid for two
// years, written as PEM (certificate + PKCS#8 key) and as PKCS#12 (PFX) for tools that want one file.
// The key pair comes from Node's native crypto (node-forge's pure-JS RSA is slow); node-forge builds
// the X.509 certificate and the PFX.
import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

export const CERTIFICATE_VALIDITY_YEARS = 2;

export interface SelfSignedCertificate {
  /** PEM of the certificate (public; upload it to the app registration). */
  readonly certPem: string;
  /** PEM (PKCS#8) of the private key. */
  readonly keyPem: string;
  /** DER bytes of the PFX, protected by the passphrase given (absent when no passphrase was given). */
  readonly pfx: Buffer | undefined;
  readonly thumbprints: Thumbprints;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subject: string;
}

export interface Thumbprints {
  /** Upper-case hex SHA-1 of the DER certificate (what the Entra portal shows). */
  readonly sha1: string;
  /** Upper-case hex SHA-256 of the DER certificate (what MSAL's thumbprintSha256 wants). */
  readonly sha256: string;
}

export function createSelfSignedCertificate(options: {
  commonName: string;
  /** Without a passphrase no PFX is made (PEM only). */
  pfxPassphrase?: string;
  now?: Date;
}): SelfSignedCertificate {
  const now = options.now ?? new Date();
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive serial number of 16 random bytes (RFC 5280 allows up to 20 octets).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  // Backdated a few minutes so that a slightly slow clock elsewhere does not reject a fresh certificate.
  // X.509 times have whole seconds; dropping the milliseconds keeps what we print equal to the certificate.
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - 5 * 60_000);
  const notAfter = new Date(Math.floor(now.getTime() / 1000) * 1000);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CERTIFICATE_VALIDITY_YEARS);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const attrs = [{ name: 'commonName', value: options.commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());

  const certPem = forge.pki.certificateToPem(cert);
  const pfx =
    options.pfxPassphrase === undefined
      ? undefined
      : toPfx(forgeKey, cert, options.pfxPassphrase, options.commonName);
  return {
    certPem,
    keyPem: privateKey,
    pfx,
    thumbprints: thumbprintsOf(certPem),
    notBefore,
    notAfter,
    subject: `CN=${options.commonName}`,
  };
}

export function thumbprintsOf(certPem: string): Thumbprints {
  const der = new X509Certificate(certPem).raw;
  return {
    sha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
    sha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}

function toPfx(
  key: forge.pki.rsa.PrivateKey,
  cert: forge.pki.Certificate,
  passphrase: string,
  friendlyName: string,
): Buffer {
  // 3DES + SHA-1 MAC: the PKCS#12 flavour that Windows, .NET, OpenSSL 3 and Node all load.
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des', friendlyName });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
