// A throw-away certificate authority and a server certificate for 127.0.0.1/localhost.
// HTTPS is the default because @microsoft/microsoft-graph-client only attaches the bearer token
// to https:// URLs (docs/reference-behaviour.md#tls-for-the-graph-client).
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface ServerTls {
  /** PEM of the CA that signed the server certificate: what clients must trust. */
  caPem: string;
  certPem: string;
  keyPem: string;
}

// node-forge's pure-JS RSA key generation takes seconds; Node's native one milliseconds.
function rsaKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

/**
 * A positive serial in minimal DER form: first byte 0x01-0x7f. (A leading 0x00 before a byte
 * below 0x80 is "illegal padding" to OpenSSL 3, which then refuses to parse the certificate.)
 */
export function randomSerial(): string {
  const bytes = Buffer.from(forge.random.getBytesSync(16), 'binary');
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

const day = 24 * 3600_000;

type Name = forge.pki.CertificateField[];

/** A certificate for a fresh key pair, valid from a minute ago (clock skew) unless told otherwise. */
function newCertificate(
  subject: Name,
  issuer: Name,
  validity: { notBefore?: Date; notAfter?: Date; days: number },
) {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = validity.notBefore ?? new Date(Date.now() - 60_000);
  cert.validity.notAfter = validity.notAfter ?? new Date(Date.now() + validity.days * day);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  return { cert, keys };
}

export function generateServerTls(
  hostIps: string[] = ['127.0.0.1'],
  hostNames: string[] = ['localhost'],
): ServerTls {
  const caName = [{ name: 'commonName', value: 'dlmigrate cloud-sim CA' }];
  const { cert: ca, keys: caKeys } = newCertificate(caName, caName, { days: 365 });
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const { cert, keys } = newCertificate(
    [{ name: 'commonName', value: hostNames[0] ?? hostIps[0] ?? 'localhost' }],
    caName,
    { days: 30 },
  );
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...hostIps.map((ip) => ({ type: 7, ip })),
        ...hostNames.map((value) => ({ type: 2, value })),
      ],
    },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
  };
}

export interface ClientCertificate {
  certPem: string;
  /** PKCS#8 PEM private key. */
  keyPem: string;
  /** Hex SHA-1 thumbprint of the DER certificate (what MSAL's `thumbprint` wants). */
  thumbprintSha1: string;
  /** Hex SHA-256 thumbprint (MSAL's `thumbprintSha256`). */
  thumbprintSha256: string;
}

/**
 * A self-signed app credential certificate, as an admin would upload to an app registration.
 * Exported for tests, the demo and benchmarks; validity can be placed in the past to test expiry.
 */
export function generateClientCertificate(
  options: { subject?: string; notBefore?: Date; notAfter?: Date } = {},
): ClientCertificate {
  const name = [{ name: 'commonName', value: options.subject ?? 'dlmigrate app' }];
  const { cert, keys } = newCertificate(name, name, {
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    days: 365,
  });
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  const sha1 = forge.md.sha1.create().update(der).digest().toHex();
  const sha256 = forge.md.sha256.create().update(der).digest().toHex();
  const keyPem = forge.pki.privateKeyInfoToPem(
    forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keys.privateKey)),
  );
  return {
    certPem: forge.pki.certificateToPem(cert),
    keyPem,
    thumbprintSha1: sha1,
    thumbprintSha256: sha256,
  };
}
