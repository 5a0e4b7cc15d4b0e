// Errors that say "try again later" rather than "this is wrong": a dropped connection, a timeout, throttling, a
// server-side failure. While the engine polls for something to happen, such an error only means "not known yet".
import { ExoError, GraphRequestError, HttpNetworkError, HttpTimeoutError } from '@dlmigrate/exo';

export function isTransient(error: unknown): boolean {
  if (error instanceof HttpNetworkError || error instanceof HttpTimeoutError) return true;
  if (error instanceof GraphRequestError)
    return error.status === -1 || error.status === 429 || error.status >= 500;
  if (error instanceof ExoError)
    return error.code === 'EXO_TRANSIENT' || error.code === 'EXO_TIMEOUT' || error.code === 'EXO_THROTTLED';
  return false;
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
