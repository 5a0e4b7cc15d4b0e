// Typed errors with stable codes. Messages say what to fix; they never contain the bind password.

/** One row of an error-code table: the same shape in every package (docs/errors.md is written from them). */
export interface AdErrorCodeEntry {
  /** What happened, in one sentence. */
  readonly means: string;
  /** What the administrator should do. */
  readonly action: string;
}

/** Every code an AdError carries. Stable: never rename one, only add. */
export const AD_ERROR_CODES = {
  AD_INVALID_OPTIONS: {
    means: 'The directory connection options cannot be used (no URL, no credentials, a bad timeout, …).',
    action: 'Correct the ad.* settings named in the message.',
  },
  AD_INVALID_CREDENTIALS: {
    means: 'The domain controller rejected the bind user or its password (LDAP 49).',
    action:
      'Check the bind user (UPN, DOMAIN\\user or DN) and its password, and that the account is enabled and not locked out.',
  },
  AD_STRONG_AUTH_REQUIRED: {
    means: 'The domain controller requires an encrypted connection (LDAP 8 or 13).',
    action: 'Use ldaps:// or ldap:// with startTls.',
  },
  AD_TLS_NAME_MISMATCH: {
    means: "The domain controller's certificate is not valid for the host name connected to.",
    action: "Connect with a name listed in the certificate's subjectAltName, or reissue the certificate.",
  },
  AD_TLS_UNKNOWN_CA: {
    means: "The domain controller's certificate is not signed by a trusted certification authority.",
    action: 'Give the issuing CA certificate (caFile / caPem).',
  },
  AD_TLS_CERT_EXPIRED: {
    means: "The domain controller's certificate is expired or not yet valid.",
    action: 'Renew the domain controller certificate, or fix the clock.',
  },
  AD_TLS_FAILED: {
    means: 'The TLS handshake with the domain controller failed for another reason.',
    action: 'Check the TLS settings of the domain controller and the message for the TLS error.',
  },
  AD_UNREACHABLE: {
    means: 'The domain controller cannot be reached (refused, no route, name not resolved).',
    action:
      'Check the URL, port (636 LDAPS / 389 LDAP / 3269 GC), firewall and that the domain controller runs.',
  },
  AD_TIMEOUT: {
    means: 'The domain controller did not answer in time.',
    action: 'Check network reachability, or raise the timeout.',
  },
  AD_CONNECTION_LOST: {
    means: 'The connection to the domain controller was dropped during an operation.',
    action: 'Run the command again; dlmigrate resumes journaled work where it stopped.',
  },
  AD_INSUFFICIENT_RIGHTS: {
    means: 'The bind account lacks the rights for the operation (LDAP 50).',
    action: 'Grant the bind account the rights on that object or container.',
  },
  AD_NO_SUCH_OBJECT: {
    means: 'The object does not exist (LDAP 32): moved, renamed, deleted, or not yet replicated.',
    action: 'Check the DN in the message; wait for replication if it was just created.',
  },
  AD_ALREADY_EXISTS: {
    means: 'An object with that name already exists (LDAP 68).',
    action: 'Choose another name or remove the existing object.',
  },
  AD_CONSTRAINT_VIOLATION: {
    means:
      'The write broke a directory constraint (LDAP 19): a unique value taken, too many values, too long.',
    action: 'Correct the value named in the message.',
  },
  AD_VALUE_EXISTS: {
    means: 'The value is already present on the object (LDAP 20).',
    action: 'Nothing to do unless the message says otherwise; the write was already done.',
  },
  AD_NO_SUCH_ATTRIBUTE: {
    means: 'The attribute or value to remove is not present (LDAP 16).',
    action: 'Nothing to do unless the message says otherwise; the value was already gone.',
  },
  AD_UNWILLING_TO_PERFORM: {
    means: 'The domain controller refused the operation (LDAP 53).',
    action: 'Read the server text in the message; it names the rule that refused it.',
  },
  AD_INVALID_DN: {
    means: 'A distinguished name has invalid syntax (LDAP 34).',
    action: 'Correct the DN (an OU in the configuration, a --file entry).',
  },
  AD_OPERATION_FAILED: {
    means: 'Another LDAP error.',
    action: 'Read the LDAP code and server text in the message.',
  },
  AD_GROUP_NOT_FOUND: {
    means: 'No group has that address, name or DN.',
    action: 'Check the group identity given.',
  },
  AD_GROUP_AMBIGUOUS: {
    means: 'Several objects match the group identity given.',
    action: 'Give the group by its DN or primary SMTP address.',
  },
  AD_NOT_A_GROUP: {
    means: 'The object found is not a group.',
    action: 'Give a group; only groups can be migrated.',
  },
  AD_GROUP_PROTECTED: {
    means: 'The group is protected from accidental deletion, so it cannot be moved to the parking OU.',
    action: 'Clear "Protect object from accidental deletion" on the group first.',
  },
  AD_ATTRIBUTE_NOT_IN_SCHEMA: {
    means: 'The directory schema has no such attribute (LDAP 17); the Exchange schema extension is missing.',
    action: 'Extend the schema (Exchange schema update) or leave the attribute out.',
  },
  AD_NAME_TOO_LONG: {
    means: 'A name is longer than the directory allows (64 characters for cn, 20 for sAMAccountName).',
    action: 'Choose a shorter name or prefix/suffix.',
  },
  AD_VALUE_NOT_FOUND: {
    means: 'A value expected in the directory is not there.',
    action: 'Read the message; someone may have changed the object meanwhile.',
  },
} as const satisfies Record<string, AdErrorCodeEntry>;

export type AdErrorCode = keyof typeof AD_ERROR_CODES;

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

/**
 * A link write naming an object the DC does not know (yet): AD's 000020B5 "Referenced object not found" (and
 * 00000525 for member). Across domains it means the object has not replicated to the target's domain (its DC finds
 * other domains' objects through the GC), so it is worth retrying once replication had time.
 */
export function isReferencedObjectNotFound(error: unknown): boolean {
  return error instanceof AdError && /\b000020B5\b|\b00000525\b/i.test(error.message);
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
