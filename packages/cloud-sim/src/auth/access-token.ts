// Access tokens the simulated Entra ID issues and the simulated APIs verify: RS256 JWTs signed
// with the simulator's own key, carrying aud, tid, appid, roles and wids like Entra's v1 app tokens.
import { randomUUID, type KeyObject } from 'node:crypto';
import { decodeJwt, signJwt, verifyJwtSignature } from './jwt.js';

/** The lifetime of a token when the tenant does not say (TenantBehaviour.tokenLifetimeSeconds). */
export const accessTokenLifetimeSeconds = 3599;

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  appid: string;
  app_displayname: string;
  oid: string;
  sub: string;
  idtyp: 'app';
  roles: string[];
  wids: string[];
  ver: '1.0';
  uti: string;
}

export function issueAccessToken(
  key: KeyObject,
  keyId: string,
  claims: Omit<AccessTokenClaims, 'iss' | 'iat' | 'nbf' | 'exp' | 'idtyp' | 'ver' | 'uti' | 'sub'>,
  lifetimeSeconds = accessTokenLifetimeSeconds,
): { token: string; claims: AccessTokenClaims } {
  const now = Math.floor(Date.now() / 1000);
  const full: AccessTokenClaims = {
    ...claims,
    iss: `https://sts.windows.net/${claims.tid}/`,
    iat: now,
    nbf: now,
    exp: now + lifetimeSeconds,
    sub: claims.oid,
    idtyp: 'app',
    ver: '1.0',
    uti: randomUUID().replace(/-/g, ''),
  };
  const token = signJwt({ typ: 'JWT', kid: keyId, x5t: keyId }, { ...full }, key);
  return { token, claims: full };
}

export type TokenCheck =
  | { ok: true; claims: AccessTokenClaims }
  | {
      ok: false;
      reason: 'missing' | 'malformed' | 'signature' | 'expired' | 'audience' | 'tenant' | 'role';
      message: string;
    };

/** Verifies a bearer token for one API call: signature, lifetime, audience, tenant, app role. */
export function checkAccessToken(
  authorization: string | undefined,
  publicKey: KeyObject,
  expect: { audiences: string[]; tenantId: string; anyRole?: string[] },
): TokenCheck {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match)
    return {
      ok: false,
      reason: 'missing',
      message: 'Authorization header is missing or is not a Bearer token.',
    };
  const jwt = decodeJwt(match[1]!);
  if (!jwt) return { ok: false, reason: 'malformed', message: 'The access token is malformed.' };
  if (!verifyJwtSignature(jwt, publicKey))
    return { ok: false, reason: 'signature', message: 'The access token signature is invalid.' };
  // The signature is this simulator's own (verified above), so the payload is claims it signed (issueAccessToken).
  const claims = jwt.payload as unknown as AccessTokenClaims;
  const now = Math.floor(Date.now() / 1000);
  if (
    typeof claims.exp !== 'number' ||
    claims.exp < now - 60 ||
    (typeof claims.nbf === 'number' && claims.nbf > now + 60)
  )
    return { ok: false, reason: 'expired', message: 'The access token has expired.' };
  const aud = String(claims.aud ?? '').replace(/\/$/, '');
  if (!expect.audiences.some((a) => a.replace(/\/$/, '').toLowerCase() === aud.toLowerCase()))
    return { ok: false, reason: 'audience', message: `Invalid audience '${claims.aud}'.` };
  if (claims.tid !== expect.tenantId)
    return {
      ok: false,
      reason: 'tenant',
      message: `The token was issued for tenant '${claims.tid}', not '${expect.tenantId}'.`,
    };
  if (expect.anyRole && !expect.anyRole.some((r) => claims.roles?.includes(r)))
    return {
      ok: false,
      reason: 'role',
      message: `The token does not carry any of the roles ${expect.anyRole.join(', ')}.`,
    };
  return { ok: true, claims };
}
