// Loading the app's certificate credential: PEM (certificate + key) or PFX with a passphrase.
// The private key is turned into unencrypted PKCS#8 PEM because that is what MSAL signs with; it
// stays in memory only, and no message we build ever contains it or the passphrase.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import forge from 'node-forge';

export interface AppCertificate {
  /** Leaf certificate first, then any chain certificates, as PEM (sent to Entra as x5c). */
  readonly chainPem: string;
  /** Unencrypted PKCS#8 PEM. Never log this. */
  readonly privateKeyPem: string;
  /** Upper-case hex, no separators. */
  readonly thumbprintSha256: string;
  readonly thumbprintSha1: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export type CertificateSource =
  | {
      readonly kind: 'pem';
      readonly certificatePath: string;
      readonly keyPath: string;
      readonly keyPassphrase?: string;
    }
  | { readonly kind: 'pfx'; readonly pfxPath: string; readonly passphrase?: string };

export class CertificateError extends Error {
  override readonly name = 'CertificateError';
  readonly code = 'CERTIFICATE_UNUSABLE';
}

export async function loadCertificate(source: CertificateSource): Promise<AppCertificate> {
  if (source.kind === 'pem') {
    const [certPem, keyPem] = await Promise.all([
      readText(source.certificatePath, 'certificate'),
      readText(source.keyPath, 'private key'),
    ]);
    return certificateFromPem(certPem, keyPem, source.keyPassphrase);
  }
  const der = await readFile(source.pfxPath).catch((e: unknown) => {
    throw new CertificateError(`Cannot read the PFX file ${source.pfxPath}: ${(e as Error).message}`);
  });
  return certificateFromPfx(der, source.passphrase ?? '');
}

export function certificateFromPem(certPem: string, keyPem: string, keyPassphrase?: string): AppCertificate {
  const certs = splitPemCertificates(certPem);
  if (certs.length === 0) {
    throw new CertificateError('The certificate file holds no "BEGIN CERTIFICATE" block.');
  }
  let privateKeyPem: string;
  try {
    const key = createPrivateKey(
      keyPassphrase === undefined ? { key: keyPem } : { key: keyPem, passphrase: keyPassphrase },
    );
    privateKeyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    // The crypto error can quote parts of the input; keep the message generic on purpose.
    throw new CertificateError(
      'Cannot read the private key (wrong passphrase, or not a PEM private key). Expected PKCS#8 or PKCS#1 PEM.',
    );
  }
  return describe(certs, privateKeyPem);
}

export function certificateFromPfx(pfx: Buffer, passphrase: string): AppCertificate {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(pfx.toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, passphrase);
  } catch {
    throw new CertificateError('Cannot open the PFX file: wrong passphrase or not a PKCS#12 file.');
  }
  const keyBags = [...bagsOf(p12, OIDS.pkcs8ShroudedKeyBag), ...bagsOf(p12, OIDS.keyBag)];
  const keyBag = keyBags.find((b) => b.key !== undefined);
  if (!keyBag?.key) throw new CertificateError('The PFX file holds no private key.');
  const certBags = bagsOf(p12, OIDS.certBag).filter((b) => b.cert !== undefined);
  if (certBags.length === 0) throw new CertificateError('The PFX file holds no certificate.');
  const privateKeyPem = forge.pki.privateKeyInfoToPem(
    forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key as forge.pki.rsa.PrivateKey)),
  );
  // Put the certificate that matches the key first (x5c order: leaf, then chain).
  const publicKey = createPrivateKey(privateKeyPem);
  const pems = certBags.map((b) => forge.pki.certificateToPem(b.cert as forge.pki.Certificate));
  const leafIndex = pems.findIndex((p) => new X509Certificate(p).checkPrivateKey(publicKey));
  if (leafIndex < 0) throw new CertificateError('No certificate in the PFX file matches its private key.');
  const ordered = [pems[leafIndex] as string, ...pems.filter((_, i) => i !== leafIndex)];
  return describe(ordered, privateKeyPem);
}

const OIDS = forge.pki.oids as Record<'pkcs8ShroudedKeyBag' | 'keyBag' | 'certBag', string>;

function bagsOf(p12: forge.pkcs12.Pkcs12Pfx, bagType: string): forge.pkcs12.Bag[] {
  return p12.getBags({ bagType })[bagType] ?? [];
}

function describe(certPems: readonly string[], privateKeyPem: string): AppCertificate {
  const leafPem = certPems[0] as string;
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(leafPem);
  } catch {
    throw new CertificateError('The certificate is not a valid X.509 certificate.');
  }
  if (!leaf.checkPrivateKey(createPrivateKey(privateKeyPem))) {
    throw new CertificateError('The private key does not belong to the certificate.');
  }
  return {
    chainPem: certPems.join('\n'),
    privateKeyPem,
    thumbprintSha256: thumbprint(leaf.raw, 'sha256'),
    thumbprintSha1: thumbprint(leaf.raw, 'sha1'),
    subject: leaf.subject,
    notBefore: new Date(leaf.validFrom),
    notAfter: new Date(leaf.validTo),
  };
}

function thumbprint(der: Buffer, algorithm: 'sha1' | 'sha256'): string {
  return createHash(algorithm).update(der).digest('hex').toUpperCase();
}

function splitPemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new CertificateError(`Cannot read the ${what} file ${path}: ${(e as Error).message}`);
  }
}
