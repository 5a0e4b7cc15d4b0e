import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('hands out the saved-up burst at once, then one token per 1/rate seconds', () => {
    const bucket = new TokenBucket(2, 2, 0);
    expect(bucket.take(0)).toBe(0);
    expect(bucket.take(0)).toBe(0);
    expect(bucket.take(0)).toBe(500);
    expect(bucket.take(250)).toBe(250);
    expect(bucket.take(500)).toBe(0);
    expect(bucket.take(500)).toBe(500);
  });

  it('never saves more than its depth, however long it was idle', () => {
    const bucket = new TokenBucket(10, 3, 0);
    for (let i = 0; i < 3; i++) bucket.take(0);
    const later = 60_000;
    let granted = 0;
    while (bucket.take(later) === 0) granted++;
    expect(granted).toBe(3);
  });

  it('an infinite rate never makes anyone wait', () => {
    const bucket = new TokenBucket(Infinity, 1, 0);
    for (let i = 0; i < 1000; i++) expect(bucket.take(0)).toBe(0);
  });

  it('a hold refuses every token until it ends, then lets one probe through and paces again', () => {
    const bucket = new TokenBucket(4, 4, 0);
    bucket.holdUntil(1000);
    expect(bucket.take(0)).toBe(1000);
    expect(bucket.take(999)).toBe(1);
    expect(bucket.take(1000)).toBe(0);
    expect(bucket.take(1000)).toBe(250);
  });

  it('drain forgets saved tokens; a new rate keeps what fits the new depth', () => {
    const bucket = new TokenBucket(10, 5, 0);
    bucket.drain(0);
    expect(bucket.take(0)).toBe(100);
    bucket.setRate(1, 1, 2000);
    expect(bucket.take(2000)).toBe(0);
    expect(bucket.take(2000)).toBe(1000);
  });
});
