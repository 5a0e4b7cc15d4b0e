import { describe, expect, it } from 'vitest';
import { AimdRate } from './aimd.js';

const options = { min: 0.5, max: 10, decrease: 0.5, increasePerSecond: 1 };

describe('AimdRate', () => {
  it('starts at the ceiling and is lowered multiplicatively, never below the floor', () => {
    const aimd = new AimdRate(options);
    expect(aimd.rate).toBe(10);
    expect(aimd.onThrottle(aimd.epoch, 0)).toBe(true);
    expect(aimd.rate).toBe(5);
    for (let i = 0; i < 10; i++) aimd.onThrottle(aimd.epoch, 0);
    expect(aimd.rate).toBe(0.5);
  });

  it('a burst of throttles for calls granted at the same epoch lowers the rate once', () => {
    const aimd = new AimdRate(options);
    const epoch = aimd.epoch;
    for (let i = 0; i < 8; i++) aimd.onThrottle(epoch, 0);
    expect(aimd.rate).toBe(5);
  });

  it('without a ceiling the rate is unknown (infinite) until the first throttle, which starts from what was sent', () => {
    const aimd = new AimdRate({ ...options, max: Infinity });
    expect(aimd.rate).toBe(Infinity);
    aimd.onThrottle(aimd.epoch, 16);
    expect(aimd.rate).toBe(8);
  });

  it('grows additively, about increasePerSecond per second of calls, only while callers are held back', () => {
    const aimd = new AimdRate(options);
    aimd.onThrottle(aimd.epoch, 0);
    aimd.onThrottle(aimd.epoch, 0); // 2.5 calls/s
    expect(aimd.onSuccess(aimd.epoch, false)).toBe(false);
    expect(aimd.rate).toBe(2.5);
    // One second's worth of calls at 2.5/s (≈ 3 successes) adds about one call per second.
    for (let i = 0; i < 3; i++) aimd.onSuccess(aimd.epoch, true);
    expect(aimd.rate).toBeGreaterThan(3.3);
    expect(aimd.rate).toBeLessThan(3.7);
    for (let i = 0; i < 1000; i++) aimd.onSuccess(aimd.epoch, true);
    expect(aimd.rate).toBe(10);
  });

  it('returns quickly towards the rate of the last throttle, then probes past it by about 5 % per second', () => {
    const aimd = new AimdRate({ min: 0.1, max: Infinity, decrease: 0.5, increasePerSecond: 0.1 });
    aimd.onThrottle(aimd.epoch, 20); // throttled at 20/s → 10/s
    const perSecondOfCalls = () => {
      const calls = Math.round(aimd.rate);
      for (let i = 0; i < calls; i++) aimd.onSuccess(aimd.epoch, true);
    };
    perSecondOfCalls();
    expect(aimd.rate).toBeGreaterThan(13); // about half the gap of 10 in a second
    for (let s = 0; s < 10; s++) perSecondOfCalls();
    expect(aimd.rate).toBeGreaterThan(19.5);
    const near = aimd.rate;
    for (let s = 0; s < 10; s++) perSecondOfCalls();
    // Past the last throttle it probes at about 5 % per second: ten seconds give well under double.
    expect(aimd.rate / near).toBeGreaterThan(1.3);
    expect(aimd.rate / near).toBeLessThan(1.8);
  });

  it('successes of calls granted before the last decrease do not grow the rate', () => {
    const aimd = new AimdRate(options);
    const old = aimd.epoch;
    aimd.onThrottle(old, 0);
    expect(aimd.onSuccess(old, true)).toBe(false);
    expect(aimd.rate).toBe(5);
  });

  it('a new ceiling caps the rate at once', () => {
    const aimd = new AimdRate({ ...options, max: Infinity });
    aimd.setCeiling(2);
    expect(aimd.rate).toBe(2);
  });
});
