// Exchange Online errors, classified by the exception type the service reports
// (`error.details[0].message` = "ErrorId|ExceptionType|Message"), never by the English text —
// except where the text is the only carrier of data we need (the holder of a taken address).
import type { EXO_ERROR_CODES } from '../error-codes.js';

/**
 * The codes an ExoError carries: the EXO_* rows of EXO_ERROR_CODES, except the two of errors that are no refusal by
 * the service (ExoNoResultError, ExoUnknownRecipientTypeError below).
 */
export type ExoErrorCode = Exclude<
  Extract<keyof typeof EXO_ERROR_CODES, `EXO_${string}`>,
  'EXO_NO_RESULT' | 'EXO_UNKNOWN_RECIPIENT_TYPE'
>;

export interface ExoErrorDetails {
  readonly cmdlet: string;
  /** HTTP status; 0 when no answer arrived. */
  readonly status: number;
  readonly errorId?: string | undefined;
  /** Fully qualified .NET exception type, e.g. Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException. */
  readonly exceptionType?: string | undefined;
  /** The service's own message (already stripped of ErrorId/ExceptionType). */
  readonly serverMessage: string;
  readonly requestId?: string | undefined;
  readonly clientRequestId?: string | undefined;
  /** What the service asked us to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number | undefined;
}

export abstract class ExoError extends Error {
  abstract readonly code: ExoErrorCode;
  readonly cmdlet: string;
  readonly status: number;
  readonly errorId: string | undefined;
  readonly exceptionType: string | undefined;
  readonly serverMessage: string;
  readonly requestId: string | undefined;
  readonly clientRequestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(details: ExoErrorDetails, message?: string) {
    super(
      message ??
        `${details.cmdlet} failed: ${details.serverMessage}${details.errorId ? ` [${details.errorId}]` : ''}`,
    );
    this.cmdlet = details.cmdlet;
    this.status = details.status;
    this.errorId = details.errorId;
    this.exceptionType = details.exceptionType;
    this.serverMessage = details.serverMessage;
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export class ExoNotFoundError extends ExoError {
  override readonly name = 'ExoNotFoundError';
  readonly code = 'EXO_NOT_FOUND';
}
/** The identity matched several objects; use ExternalDirectoryObjectId instead. */
export class ExoAmbiguousError extends ExoError {
  override readonly name = 'ExoAmbiguousError';
  readonly code = 'EXO_AMBIGUOUS';
}
/** An object (or membership) with that name already exists. */
export class ExoAlreadyExistsError extends ExoError {
  override readonly name = 'ExoAlreadyExistsError';
  readonly code = 'EXO_ALREADY_EXISTS';
}
export class ExoAddressExistsError extends ExoError {
  override readonly name = 'ExoAddressExistsError';
  readonly code = 'EXO_ADDRESS_EXISTS';
  /** The address that is taken, when the service named it. */
  readonly address: string | undefined;
  /** The object holding the address, when the service named it. */
  readonly holder: string | undefined;
  constructor(details: ExoErrorDetails) {
    super(details);
    const parsed = parseAddressHolder(details.serverMessage);
    this.address = parsed.address;
    this.holder = parsed.holder;
  }
}
/** The object is synchronised from on-premises AD: Exchange Online refuses to edit it. */
export class ExoSyncedObjectError extends ExoError {
  override readonly name = 'ExoSyncedObjectError';
  readonly code = 'EXO_SYNCED_OBJECT';
}
export class ExoThrottledError extends ExoError {
  override readonly name = 'ExoThrottledError';
  readonly code = 'EXO_THROTTLED';
  /** How many times the call was sent before giving up. */
  attempts = 1;
}
/** The app lacks the Exchange RBAC role (or management scope) needed for this cmdlet. */
export class ExoPermissionDeniedError extends ExoError {
  override readonly name = 'ExoPermissionDeniedError';
  readonly code = 'EXO_PERMISSION_DENIED';
}
/** The token was refused by Exchange Online: the app has no Exchange.ManageAsApp permission (or no consent for it). */
export class ExoMissingManageAsAppError extends ExoError {
  override readonly name = 'ExoMissingManageAsAppError';
  readonly code = 'EXO_MISSING_MANAGE_AS_APP';
}
/** Bad parameters or a state the cmdlet rejects; retrying can't help. */
export class ExoValidationError extends ExoError {
  override readonly name = 'ExoValidationError';
  readonly code = 'EXO_VALIDATION';
}
/** 5xx, gateway and back-end hiccups that are worth retrying. */
export class ExoTransientError extends ExoError {
  override readonly name = 'ExoTransientError';
  readonly code = 'EXO_TRANSIENT';
}
export class ExoTimeoutError extends ExoError {
  override readonly name = 'ExoTimeoutError';
  readonly code = 'EXO_TIMEOUT';
}
export class ExoOtherError extends ExoError {
  override readonly name = 'ExoOtherError';
  readonly code = 'EXO_OTHER';
}

/**
 * A cmdlet succeeded but returned no object where it must return one, and the object could not be read instead.
 * Deliberately not an ExoError: an ExoError is the service's refusal of one call, which the steps answer with a
 * finding and go on (packages/core/src/steps/stage.ts, packages/core/src/references/rewire.ts catch `instanceof
 * ExoError`); an answer without its object is no refusal, so the step fails as a whole and the saga decides.
 */
export class ExoNoResultError extends Error {
  override readonly name = 'ExoNoResultError';
  readonly code = 'EXO_NO_RESULT';
  constructor(
    readonly cmdlet: string,
    readonly identity: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A recipient whose RecipientTypeDetails names no Set-/Get- cmdlet dlmigrate knows (setCmdletFor in
 * exchange-online.ts): thrown before any call, so, like ExoNoResultError, not an ExoError (no refusal by the service).
 */
export class ExoUnknownRecipientTypeError extends Error {
  override readonly name = 'ExoUnknownRecipientTypeError';
  readonly code = 'EXO_UNKNOWN_RECIPIENT_TYPE';
  constructor(readonly recipientTypeDetails: string) {
    super(`No Set- cmdlet is known for recipients of type ${recipientTypeDetails}`);
  }
}

const SYNCED_OBJECT_TEXT = /being synchronized from your on-premises organization/i;

/** Short type names (last segment) → class. */
const BY_EXCEPTION_TYPE: ReadonlyArray<[RegExp, new (d: ExoErrorDetails) => ExoError]> = [
  [/^ManagementObjectNotFoundException$|^ObjectNotFoundException$|NotFoundException$/, ExoNotFoundError],
  [/^ManagementObjectAmbiguousException$/, ExoAmbiguousError],
  [/^ProxyAddressExistsException$|^WindowsEmailAddressExistsException$/, ExoAddressExistsError],
  [
    // UserAlreadyExistsInPermissionEntryException: Add-MailboxFolderPermission for a user the folder already lists.
    /^ADObjectAlreadyExistsException$|^MemberAlreadyExistsException$|AlreadyExistsException$|^UserAlreadyExistsInPermissionEntryException$/,
    ExoAlreadyExistsError,
  ],
  [/AccessDenied|^UnauthorizedAccessException$/, ExoPermissionDeniedError],
  [
    /^(DCOverloadedException|SuitabilityDirectoryException|ServerInMMException|ADServerSettingsChangedException|StorageTransientException|ADTransientException|TransientException)$/,
    ExoTransientError,
  ],
  [
    /^(ParameterBindingException|ParameterBindingValidationException|ValidationException|ArgumentException|ArgumentNullException|ArgumentOutOfRangeException|InvalidOperationException|RecipientTaskException|TaskArgumentException|DataValidationException|FormatException|ParameterConflictException)$/,
    ExoValidationError,
  ],
];

export function shortTypeName(exceptionType: string | undefined): string {
  if (!exceptionType) return '';
  return exceptionType.slice(exceptionType.lastIndexOf('.') + 1);
}

export interface ParsedErrorBody {
  readonly errorId?: string;
  readonly exceptionType?: string;
  readonly message: string;
  readonly code?: string;
}

/**
 * Parse an InvokeCommand error body. Order (as the official module does): details[0].message,
 * then innererror.internalexception.message, then error.message, then the raw text.
 */
export function parseErrorBody(body: string): ParsedErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { message: body.trim() || '(empty response)' };
  }
  const error = (json as { error?: Record<string, unknown> } | null)?.error;
  if (!error || typeof error !== 'object') return { message: body.trim() };
  const code = typeof error['code'] === 'string' ? error['code'] : undefined;
  const details = Array.isArray(error['details']) ? (error['details'] as Array<{ message?: unknown }>) : [];
  const detail = typeof details[0]?.message === 'string' ? details[0].message : undefined;
  const inner = (error['innererror'] as { internalexception?: { message?: unknown } } | undefined)
    ?.internalexception?.message;
  const candidate = detail ?? (typeof inner === 'string' ? inner : undefined);
  if (candidate !== undefined) {
    const parsed = splitExoMessage(candidate);
    return { ...parsed, ...(code !== undefined ? { code } : {}) };
  }
  const message = typeof error['message'] === 'string' ? error['message'] : body.trim();
  return { message, ...(code !== undefined ? { code } : {}) };
}

/** "ErrorId|ExceptionType|Message" (the message may itself contain '|'), or a JSON blob with ClassName/Message. */
export function splitExoMessage(text: string): { errorId?: string; exceptionType?: string; message: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const j = JSON.parse(trimmed) as {
        ClassName?: string;
        Message?: string;
        localizedString?: { stringId?: string };
      };
      if (j.ClassName || j.Message) {
        return {
          ...(j.localizedString?.stringId ? { errorId: j.localizedString.stringId } : {}),
          ...(j.ClassName ? { exceptionType: j.ClassName } : {}),
          message: j.Message ?? trimmed,
        };
      }
    } catch {
      // not JSON after all: fall through to the pipe format
    }
  }
  const first = trimmed.indexOf('|');
  const second = first < 0 ? -1 : trimmed.indexOf('|', first + 1);
  if (first < 0 || second < 0) return { message: trimmed };
  const exceptionType = trimmed.slice(first + 1, second);
  // An exception type is a dotted .NET name; anything else means the text merely contains pipes.
  if (!/^[A-Za-z_][\w.`+]*$/.test(exceptionType)) return { message: trimmed };
  return { errorId: trimmed.slice(0, first), exceptionType, message: trimmed.slice(second + 1) };
}

export interface ErrorResponse {
  readonly cmdlet: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly clientRequestId?: string;
}

/** Turn a non-2xx InvokeCommand answer into the matching typed error. */
export function classifyErrorResponse(res: ErrorResponse): ExoError {
  const parsed = parseErrorBody(res.body);
  const exceptionType = parsed.exceptionType ?? res.headers['x-exceptiontype'] ?? undefined;
  const details: ExoErrorDetails = {
    cmdlet: res.cmdlet,
    status: res.status,
    errorId: parsed.errorId,
    exceptionType,
    serverMessage: parsed.message,
    requestId: res.headers['request-id'] ?? res.headers['x-ms-request-id'] ?? undefined,
    clientRequestId: res.clientRequestId ?? res.headers['client-request-id'],
    retryAfterMs: retryAfterMs(res.headers['retry-after']),
  };
  if (res.status === 429 || isConcurrencyRefusal(res.body)) return new ExoThrottledError(details);
  // Exchange reports the refusal to edit a synced object with a generic exception type
  // (InvalidOperationException); its documented wording is the only signal that it is this case.
  if (/DirSync/i.test(exceptionType ?? '') || SYNCED_OBJECT_TEXT.test(parsed.message)) {
    return new ExoSyncedObjectError(
      details,
      `${res.cmdlet} was refused: the object is synchronised from on-premises Active Directory and can only be changed there (or after it leaves the sync scope). Service said: ${parsed.message}`,
    );
  }
  if (res.status === 401) {
    return new ExoMissingManageAsAppError(
      details,
      `Exchange Online refused the app's token for ${res.cmdlet} (HTTP 401). Grant the application the Office 365 Exchange Online "Exchange.ManageAsApp" application permission and admin consent.`,
    );
  }
  const short = shortTypeName(exceptionType);
  // 403 from the gateway = the app's directory role doesn't allow Exchange at all; a 403 carrying
  // a cmdlet exception (e.g. "only a manager of the group") is that cmdlet's own refusal.
  if (
    short === 'CommandNotFoundException' ||
    (res.status === 403 && (!short || /UnauthorizedAccess/.test(short)))
  ) {
    // A cmdlet outside the app's RBAC does not exist for it: Exchange answers "not recognized".
    return new ExoPermissionDeniedError(
      details,
      `The app is not allowed to run ${res.cmdlet}: assign its service principal an Exchange role such as Exchange Administrator or Exchange Recipient Administrator. Service said: ${parsed.message}`,
    );
  }
  if (res.status === 403) return new ExoPermissionDeniedError(details);
  if (short) {
    for (const [pattern, ErrorClass] of BY_EXCEPTION_TYPE) {
      if (pattern.test(short)) return new ErrorClass(details);
    }
  }
  if (res.status === 404 && !exceptionType) return new ExoNotFoundError(details);
  // 504: the gateway stopped waiting (e.g. the 15-minute limit of REST-backed cmdlets, "About the
  // Exchange Online PowerShell module") — the cmdlet may have run, partly or wholly, like a timeout.
  if (res.status === 504) return new ExoTimeoutError(details);
  if (res.status === 408 || res.status === 500 || res.status === 502 || res.status === 503) {
    // 500 with a known cmdlet exception was classified above; a bare 500 is the gateway failing.
    return new ExoTransientError(details);
  }
  if (res.status === 400) return new ExoValidationError(details);
  return new ExoOtherError(details);
}

/** The plain-text refusal Exchange Online sends when a tenant has too many requests in flight. */
export function isConcurrencyRefusal(body: string): boolean {
  return /maximum number of concurrent requests/i.test(body.slice(0, 2000));
}

/** Retry-After: delta-seconds (may be fractional) or an HTTP date. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The holder of a taken proxy address, e.g. from
 * `The proxy address "SMTP:a@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Sales". Please choose another proxy address.`
 */
export function parseAddressHolder(message: string): {
  address: string | undefined;
  holder: string | undefined;
} {
  const address = /(?:proxy )?address\s+"([^"]+)"/i.exec(message)?.[1];
  const holder =
    /being used by (?:the proxy addresses or LegacyExchangeDN (?:of )?)?["']([^"']+)["']/i.exec(
      message,
    )?.[1] ??
    /already (?:being )?used by (?:the )?(?:object|recipient)\s+["']([^"']+)["']/i.exec(message)?.[1];
  return { address, holder };
}
