import { GraphRequestError, HttpNetworkError } from '@dlmigrate/exo';
import { describe, expect, it } from 'vitest';
import { isTransient, tolerant } from './transient.js';

describe('transient errors while polling', () => {
  it('classifies network failures, throttling and server errors as transient, client errors not', () => {
    expect(isTransient(new GraphRequestError('hang up', -1, undefined, undefined))).toBe(true);
    expect(isTransient(new GraphRequestError('busy', 503, 'serviceNotAvailable', undefined))).toBe(true);
    expect(isTransient(new GraphRequestError('denied', 403, 'Authorization_RequestDenied', undefined))).toBe(
      false,
    );
    expect(isTransient(new Error('bug'))).toBe(false);
    expect(isTransient(Object.create(HttpNetworkError.prototype))).toBe(true);
  });

  it('answers a transient failure with the fallback and rethrows anything else', async () => {
    const flaky = tolerant(async () => {
      throw new GraphRequestError('hang up', -1, undefined, undefined);
    }, false);
    await expect(flaky()).resolves.toBe(false);
    const broken = tolerant(async () => {
      throw new GraphRequestError('denied', 403, undefined, undefined);
    }, false);
    await expect(broken()).rejects.toThrow('denied');
  });
});
