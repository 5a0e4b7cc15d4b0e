// Verifies a certificate client assertion the way Entra ID does (docs/reference-behaviour.md#client-assertion): find the
// registered certificate by x5t (SHA-1) or x5t#S256 (SHA-256), check the certificate's validity
// period, the RS256/PS256 signature, then aud / iss / sub / nbf / exp. jti replays inside the
// assertion's lifetime are allowed, because MSAL reuses one assertion for ten minutes.
import { X509Certificate } from 'node:crypto';
import type { AppRegistration, RegisteredCertificate } from '../state.js';
import { aadErrors } from './aad-error.js';
import { decodeJwt, verifyJwtSignature } from './jwt.js';

/** Tolerated clock difference between client and simulator. */
const clockSkewSeconds = 60;

export function describeCertificate(pem: string): RegisteredCertificate {
  const cert = new X509Certificate(pem);
  const hex = (alg: 'sha1' | 'sha256') =>
    (alg === 'sha1' ? cert.fingerprint : cert.fingerprint256).replace(/:/g, '').toUpperCase();
  return {
    pem: cert.toString(),
    thumbprintSha1: hex('sha1'),
    thumbprintSha256: hex('sha256'),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
  };
}

function thumbprintHex(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return Buffer.from(value, 'base64url').toString('hex').toUpperCase();
}

export function verifyClientAssertion(
  assertion: string,
  app: AppRegistration,
  tokenEndpointUrl: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): void {
  const jwt = decodeJwt(assertion);
  if (!jwt) throw aadErrors.malformedAssertion();
  const sha1 = thumbprintHex(jwt.header['x5t']);
  const sha256 = thumbprintHex(jwt.header['x5t#S256']);
  if (!sha1 && !sha256) throw aadErrors.keyNotFound('', app.clientId);
  const cert = app.certificates.find(
    (c) =>
      (sha256 !== undefined && c.thumbprintSha256 === sha256) ||
      (sha256 === undefined && c.thumbprintSha1 === sha1),
  );
  if (!cert) throw aadErrors.keyNotFound(sha256 ?? sha1 ?? '', app.clientId);
  const now = nowSeconds * 1000;
  if (Date.parse(cert.notAfter) < now || Date.parse(cert.notBefore) > now)
    throw aadErrors.certificateExpired(cert.thumbprintSha1);
  if (!verifyJwtSignature(jwt, new X509Certificate(cert.pem).publicKey)) throw aadErrors.badSignature();
  const { aud, iss, sub, exp, nbf } = jwt.payload;
  if (typeof aud !== 'string' || aud !== tokenEndpointUrl) throw aadErrors.wrongAudience(String(aud));
  if (iss !== app.clientId || sub !== app.clientId) throw aadErrors.issuerMismatch();
  if (typeof exp !== 'number' || exp + clockSkewSeconds < nowSeconds)
    throw aadErrors.timeRange(nowSeconds, nbf, exp);
  if (typeof nbf === 'number' && nbf - clockSkewSeconds > nowSeconds)
    throw aadErrors.timeRange(nowSeconds, nbf, exp);
}
