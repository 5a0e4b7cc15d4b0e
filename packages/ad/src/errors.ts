// Typed errors with stable codes. Messages say what to fix; they never contain the bind password.

export type AdErrorCode =
  | 'AD_INVALID_OPTIONS'
  | 'AD_INVALID_CREDENTIALS'
  | 'AD_STRONG_AUTH_REQUIRED'
  | 'AD_TLS_NAME_MISMATCH'
  | 'AD_TLS_UNKNOWN_CA'
  | 'AD_TLS_CERT_EXPIRED'
  | 'AD_TLS_FAILED'
  | 'AD_UNREACHABLE'
  | 'AD_TIMEOUT'
  | 'AD_CONNECTION_LOST'
  | 'AD_INSUFFICIENT_RIGHTS'
  | 'AD_NO_SUCH_OBJECT'
  | 'AD_ALREADY_EXISTS'
  | 'AD_CONSTRAINT_VIOLATION'
  | 'AD_VALUE_EXISTS'
  | 'AD_NO_SUCH_ATTRIBUTE'
  | 'AD_UNWILLING_TO_PERFORM'
  | 'AD_INVALID_DN'
  | 'AD_OPERATION_FAILED'
  | 'AD_GROUP_NOT_FOUND'
  | 'AD_GROUP_AMBIGUOUS'
  | 'AD_NOT_A_GROUP'
  | 'AD_GROUP_PROTECTED'
  | 'AD_ATTRIBUTE_NOT_IN_SCHEMA'
  | 'AD_NAME_TOO_LONG'
  | 'AD_VALUE_NOT_FOUND';

export interface AdErrorDetails {
  /** LDAP result code when the server answered (49, 50, 32, 19, …). */
  ldapCode?: number;
  /** Node/TLS error code when the transport failed (ECONNREFUSED, ERR_TLS_CERT_ALTNAME_INVALID, …). */
  systemCode?: string;
  /** DNs involved (e.g. every object sharing an address). */
  dns?: string[];
  dn?: string;
  attribute?: string;
  server?: string;
}

export class AdError extends Error {
  override readonly name = 'AdError';
  readonly code: AdErrorCode;
  readonly details: AdErrorDetails;

  constructor(
    code: AdErrorCode,
    message: string,
    details: AdErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isAdError(error: unknown, code?: AdErrorCode): error is AdError {
  return error instanceof AdError && (code === undefined || error.code === code);
}

const TLS_NAME_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_TLS_CERT_ALTNAME_FORMAT']);
const TLS_CA_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);
const TLS_EXPIRED_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);
const CONNECTION_LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

interface ErrorLike {
  code?: unknown;
  message?: unknown;
}

/** True for failures where a fresh connection may succeed (the server dropped us, or we never got an answer). */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof AdError) return error.code === 'AD_CONNECTION_LOST';
  const e = error as ErrorLike;
  if (typeof e?.code === 'string' && CONNECTION_LOST_CODES.has(e.code)) return true;
  const msg = typeof e?.message === 'string' ? e.message : '';
  return (
    /socket|connection closed|Connection closed|not connected|ECONNRESET|EPIPE/i.test(msg) &&
    typeof e?.code !== 'number'
  );
}

/**
 * Translate an ldapts/Node error into an AdError with an actionable message. `what` names the
 * operation ("bind as Administrator@lab.test", "modify CN=…"); it must not contain secrets.
 */
export function translateError(error: unknown, what: string, server: string, dn?: string): AdError {
  if (error instanceof AdError) return error;
  const e = error as ErrorLike;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const base = { server, ...(dn === undefined ? {} : { dn }) };
  if (typeof e?.code === 'number') {
    const ldapCode = e.code;
    const d = { ...base, ldapCode };
    switch (ldapCode) {
      case 49:
        return new AdError(
          'AD_INVALID_CREDENTIALS',
          `${what}: the directory rejected the credentials (LDAP 49). Check the bind user (UPN, DOMAIN\\user or DN) and its password, and that the account is enabled and not locked out.`,
          d,
          { cause: error },
        );
      case 8:
      case 13:
        return new AdError(
          'AD_STRONG_AUTH_REQUIRED',
          `${what}: the server requires an encrypted connection (LDAP ${ldapCode}). Use ldaps:// or ldap:// with startTls.`,
          d,
          { cause: error },
        );
      case 50:
        return new AdError(
          'AD_INSUFFICIENT_RIGHTS',
          `${what}: insufficient access rights (LDAP 50). Grant the bind account the rights on that object or container (or run as a member of a group that has them).`,
          d,
          { cause: error },
        );
      case 32:
        return new AdError(
          'AD_NO_SUCH_OBJECT',
          `${what}: no such object (LDAP 32)${dn ? ` — ${dn}` : ''}. It may have been moved, renamed or deleted, or replication has not reached this domain controller yet.`,
          d,
          { cause: error },
        );
      case 68:
        return new AdError(
          'AD_ALREADY_EXISTS',
          `${what}: an object with that name already exists (LDAP 68). Choose another name or remove the existing object.`,
          d,
          { cause: error },
        );
      case 19:
        return new AdError(
          'AD_CONSTRAINT_VIOLATION',
          `${what}: constraint violation (LDAP 19): ${message}. Typical causes: a value that must be unique (sAMAccountName, UPN) is taken, a single-valued attribute got several values, or a value is too long.`,
          d,
          { cause: error },
        );
      case 20:
        return new AdError('AD_VALUE_EXISTS', `${what}: the value is already present (LDAP 20).`, d, {
          cause: error,
        });
      case 16:
        return new AdError(
          'AD_NO_SUCH_ATTRIBUTE',
          `${what}: the attribute or value is not present (LDAP 16).`,
          d,
          { cause: error },
        );
      case 17:
        return new AdError(
          'AD_ATTRIBUTE_NOT_IN_SCHEMA',
          `${what}: the schema has no such attribute (LDAP 17). Extend the schema (Exchange schema update) or leave the attribute out.`,
          d,
          { cause: error },
        );
      case 53:
        return new AdError(
          'AD_UNWILLING_TO_PERFORM',
          `${what}: the server is unwilling to perform the operation (LDAP 53): ${message}.`,
          d,
          { cause: error },
        );
      case 34:
        return new AdError('AD_INVALID_DN', `${what}: invalid DN syntax (LDAP 34).`, d, { cause: error });
      default:
        return new AdError('AD_OPERATION_FAILED', `${what}: LDAP error ${ldapCode}: ${message}`, d, {
          cause: error,
        });
    }
  }
  const systemCode = typeof e?.code === 'string' ? e.code : undefined;
  const d = { ...base, ...(systemCode ? { systemCode } : {}) };
  if (systemCode && TLS_NAME_CODES.has(systemCode)) {
    return new AdError(
      'AD_TLS_NAME_MISMATCH',
      `${what}: the certificate of ${server} is not valid for that host name (${systemCode}). Connect using a name listed in the certificate's subjectAltName, or reissue the certificate.`,
      d,
      { cause: error },
    );
  }
  if (systemCode && TLS_CA_CODES.has(systemCode)) {
    return new AdError(
      'AD_TLS_UNKNOWN_CA',
      `${what}: the certificate of ${server} is not signed by a trusted CA (${systemCode}). Pass the issuing CA with caFile/caPem.`,
      d,
      { cause: error },
    );
  }
  if (systemCode && TLS_EXPIRED_CODES.has(systemCode)) {
    return new AdError(
      'AD_TLS_CERT_EXPIRED',
      `${what}: the certificate of ${server} is expired or not yet valid (${systemCode}). Renew the domain controller certificate or fix the clock.`,
      d,
      { cause: error },
    );
  }
  if (systemCode && (systemCode.startsWith('ERR_TLS') || systemCode.startsWith('ERR_SSL'))) {
    return new AdError(
      'AD_TLS_FAILED',
      `${what}: TLS handshake with ${server} failed (${systemCode}): ${message}`,
      d,
      { cause: error },
    );
  }
  if (systemCode && UNREACHABLE_CODES.has(systemCode)) {
    return new AdError(
      'AD_UNREACHABLE',
      `${what}: cannot reach ${server} (${systemCode}). Check the URL, port (636 LDAPS / 389 LDAP / 3269 GC), firewall and that the domain controller is running.`,
      d,
      { cause: error },
    );
  }
  if (/time[ds]? ?out/i.test(message) || systemCode === 'ETIMEDOUT') {
    return new AdError(
      'AD_TIMEOUT',
      `${what}: ${server} did not answer in time (${message}). Check network reachability or raise the timeout.`,
      d,
      { cause: error },
    );
  }
  if (isConnectionFailure(error)) {
    return new AdError(
      'AD_CONNECTION_LOST',
      `${what}: the connection to ${server} was lost (${message}).`,
      d,
      { cause: error },
    );
  }
  return new AdError('AD_OPERATION_FAILED', `${what}: ${message}`, d, { cause: error });
}
