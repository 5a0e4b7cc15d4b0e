// Token failures translated into what the admin has to fix. MSAL reports the Entra error number
// (AADSTSnnnnn); we map the numbers admins actually hit during setup to one code each (EXO_ERROR_CODES).

import type { EXO_ERROR_CODES } from '../error-codes.js';

/** The codes a CloudAuthError carries: the AUTH_* rows of EXO_ERROR_CODES. */
export type AuthErrorCode = Extract<keyof typeof EXO_ERROR_CODES, `AUTH_${string}`>;

export class CloudAuthError extends Error {
  override readonly name = 'CloudAuthError';
  constructor(
    message: string,
    readonly code: AuthErrorCode,
    /** The Entra error number, e.g. 700016. */
    readonly aadsts: number | undefined,
    readonly correlationId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface AuthContext {
  readonly tenantId: string;
  readonly clientId: string;
  readonly thumbprint: string;
  readonly certificateNotAfter: Date;
}

const THROTTLED_ADVICE =
  'The token endpoint is throttling this application; MSAL will not ask again before its Retry-After has passed. Try again later.';

const BY_CODE: ReadonlyArray<{
  codes: readonly number[];
  code: AuthErrorCode;
  advice: (c: AuthContext) => string;
}> = [
  {
    codes: [90002, 900023, 90072, 900022],
    code: 'AUTH_WRONG_TENANT',
    advice: (c) =>
      `Tenant "${c.tenantId}" was not found. Check the tenant id (GUID) or the *.onmicrosoft.com name.`,
  },
  {
    codes: [700016, 7000112, 700038],
    code: 'AUTH_APP_NOT_FOUND',
    advice: (c) =>
      `Application ${c.clientId} was not found or is disabled in tenant ${c.tenantId}. Check the application (client) id and that the app is registered in this tenant.`,
  },
  {
    codes: [65001, 500011, 501051, 7000114],
    code: 'AUTH_NOT_CONSENTED',
    advice: (c) =>
      `Application ${c.clientId} has not been granted admin consent in tenant ${c.tenantId} (or the API is missing). Grant admin consent for Exchange.ManageAsApp and the Graph permissions.`,
  },
  {
    codes: [700027, 700023, 7000215, 7000222],
    code: 'AUTH_CERTIFICATE_NOT_REGISTERED',
    advice: (c) =>
      `The certificate with thumbprint ${c.thumbprint} is not registered on application ${c.clientId} (or its registration expired). Upload the certificate's public part to the app registration.`,
  },
  // 50196 = "client request loop". MSAL replays a remembered 429 without an HTTP status, so the number is what identifies it.
  { codes: [50196], code: 'AUTH_TOKEN_ENDPOINT_THROTTLED', advice: () => THROTTLED_ADVICE },
  {
    codes: [90033],
    code: 'AUTH_TOKEN_ENDPOINT_UNAVAILABLE',
    advice: () => 'The token endpoint is temporarily unavailable. Try again later.',
  },
];

/** Translate anything MSAL threw into a CloudAuthError. */
export function toCloudAuthError(error: unknown, context: AuthContext): CloudAuthError {
  if (error instanceof CloudAuthError) return error;
  const e = (error ?? {}) as {
    errorCode?: string;
    errorNo?: string;
    errorMessage?: string;
    status?: number;
    correlationId?: string;
    message?: string;
  };
  const text = `${e.errorMessage ?? ''} ${e.message ?? ''}`;
  const number = Number(e.errorNo ?? /AADSTS(\d+)/.exec(text)?.[1] ?? NaN);
  const aadsts = Number.isFinite(number) ? number : undefined;
  const correlationId = e.correlationId || undefined;
  const status = e.status;

  if (aadsts !== undefined) {
    const hit = BY_CODE.find((m) => m.codes.includes(aadsts));
    if (hit) {
      // 700027 covers both "key not found" and "key expired"; Entra says which in the reason text.
      const expired = aadsts === 700027 && /expired/i.test(text);
      const code: AuthErrorCode = expired ? 'AUTH_CERTIFICATE_EXPIRED' : hit.code;
      const message = expired ? expiredMessage(context) : hit.advice(context);
      return new CloudAuthError(`${message} (AADSTS${aadsts})`, code, aadsts, correlationId, {
        cause: error,
      });
    }
  }
  if (status === 429 || (status === undefined && e.errorCode === '' && /throttl|retry/i.test(text))) {
    // MSAL remembers a 429/5xx and refuses the same request locally until Retry-After passes.
    return new CloudAuthError(THROTTLED_ADVICE, 'AUTH_TOKEN_ENDPOINT_THROTTLED', aadsts, correlationId, {
      cause: error,
    });
  }
  if (status !== undefined && status >= 500) {
    return new CloudAuthError(
      `The token endpoint is unavailable (HTTP ${status}). Try again later.`,
      'AUTH_TOKEN_ENDPOINT_UNAVAILABLE',
      aadsts,
      correlationId,
      { cause: error },
    );
  }
  const msalCode = e.errorCode ? ` [${e.errorCode}]` : '';
  return new CloudAuthError(
    `Could not get a token for application ${context.clientId} in tenant ${context.tenantId}${msalCode}: ${firstLine(e.errorMessage ?? e.message ?? String(error))}`,
    'AUTH_FAILED',
    aadsts,
    correlationId,
    { cause: error },
  );
}

export function expiredMessage(context: AuthContext): string {
  return `The certificate with thumbprint ${context.thumbprint} expired on ${context.certificateNotAfter.toISOString()}. Create a new certificate, register it on application ${context.clientId} and configure it here.`;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? text;
}
