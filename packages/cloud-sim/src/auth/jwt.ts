// Minimal compact-JWS helpers (RS256 / PS256). Kept local so the simulator does not share a JWT
// library's leniencies with the product it tests.
import { createSign, createVerify, constants, type KeyObject } from 'node:crypto';

export type JwtAlgorithm = 'RS256' | 'PS256';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Splits and JSON-decodes a compact JWS; returns undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
  alg: JwtAlgorithm = 'RS256',
): string {
  const input = `${base64url(JSON.stringify({ ...header, alg }))}.${base64url(JSON.stringify(payload))}`;
  const signer = createSign('RSA-SHA256');
  signer.update(input);
  const sig =
    alg === 'PS256'
      ? signer.sign({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
      : signer.sign(key);
  return `${input}.${base64url(sig)}`;
}

export function verifyJwtSignature(jwt: DecodedJwt, key: KeyObject): boolean {
  const alg = jwt.header['alg'];
  if (alg !== 'RS256' && alg !== 'PS256') return false;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(jwt.signingInput);
  try {
    return alg === 'PS256'
      ? verifier.verify({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, jwt.signature)
      : verifier.verify(key, jwt.signature);
  } catch {
    return false;
  }
}
