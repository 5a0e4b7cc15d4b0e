// Errors that say "try again later" rather than "this is wrong": a dropped connection, a timeout, throttling, a
// server-side failure — of Exchange Online, Graph, the token endpoint, the directory, the state store or the sync
// trigger. While the engine polls for something to happen, such an error only means "not known yet"; a step that
// meets one is run again (util/retry.ts) instead of rolling the migration back.
import { AdError } from '@dlmigrate/ad';
import {
  CloudAuthError,
  ExoError,
  GraphRequestError,
  HttpNetworkError,
  HttpTimeoutError,
} from '@dlmigrate/exo';
import { isTransientStoreError } from '@dlmigrate/state';
import { SyncTriggerError } from '../sync/trigger-types.js';

/**
 * The codes that say "transient" by themselves — the directory dropped the connection or did not answer in time (a DC
 * restarting, a network blip); Exchange throttled, timed out or failed on its side; Entra's token endpoint throttling
 * or unavailable (AADSTS90033 temporarily_unavailable: the next request may get a token, exo auth/auth-error.ts; every
 * other authentication failure needs an administrator). Also what a journal that kept only the code is judged by
 * (batch/retry.ts).
 */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'AD_CONNECTION_LOST',
  'AD_TIMEOUT',
  'EXO_TRANSIENT',
  'EXO_TIMEOUT',
  'EXO_THROTTLED',
  'AUTH_TOKEN_ENDPOINT_THROTTLED',
  'AUTH_TOKEN_ENDPOINT_UNAVAILABLE',
]);

export function isTransient(error: unknown): boolean {
  if (error instanceof HttpNetworkError || error instanceof HttpTimeoutError) return true;
  if (error instanceof AdError || error instanceof CloudAuthError || error instanceof ExoError)
    return TRANSIENT_ERROR_CODES.has(error.code);
  if (error instanceof SyncTriggerError) return error.transient;
  if (error instanceof GraphRequestError)
    return error.status === -1 || error.status === 429 || error.status >= 500;
  return isTransientStoreError(error);
}

/** `check`, with a transient failure answered by `meanwhile` (polling goes on until its deadline). */
export function tolerant<T>(check: () => Promise<T>, meanwhile: T): () => Promise<T> {
  return async () => {
    try {
      return await check();
    } catch (error) {
      if (isTransient(error)) return meanwhile;
      throw error;
    }
  };
}
