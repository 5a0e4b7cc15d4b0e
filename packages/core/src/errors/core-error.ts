// The one error class core throws on purpose: a stable code from CORE_ERROR_CODES, a message that names the
// object, and a hint that says what to do (the table's action unless the thrower knows better). Callers branch on
// `code`, never on the message (state/src/errors.ts is the same shape for the state store).
import { CORE_ERROR_CODES, type CoreErrorCode } from './codes.js';

export class CoreError extends Error {
  readonly code: CoreErrorCode;
  /** What to do about it. */
  readonly hint: string;
  constructor(code: CoreErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint ?? CORE_ERROR_CODES[code].action;
  }
}

export function isCoreError(error: unknown, code?: CoreErrorCode): error is CoreError {
  return error instanceof CoreError && (code === undefined || error.code === code);
}
