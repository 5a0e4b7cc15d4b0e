import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../saga/journal.js';
import { outageOf, summarizeOutages } from './outage.js';

const entry = (step: string, data: unknown): JournalEntry =>
  ({ step, event: 'completed', at: '2026-12-02T00:00:00.000Z', data }) as JournalEntry;

describe('outageOf', () => {
  it('bounds the window by the last poll that saw the group and the first that saw it gone', () => {
    const window = outageOf([
      entry('await-deletion', {
        deletedId: 'x',
        polls: 3,
        lastPresentAt: '2026-12-02T00:00:01.000Z',
        goneAt: '2026-12-02T00:00:02.000Z',
      }),
      entry('take-over', { convergedAt: '2026-12-02T00:00:03.500Z' }),
    ]);
    expect(window).toEqual({
      lastPresentAt: '2026-12-02T00:00:01.000Z',
      deletionSeenAt: '2026-12-02T00:00:02.000Z',
      takeOverConvergedAt: '2026-12-02T00:00:03.500Z',
      seconds: 1.5,
      atMostSeconds: 2.5,
    });
  });

  it('has no window without a seen deletion, and no length before take-over converged', () => {
    expect(outageOf([entry('convert', {})])).toBeUndefined();
    expect(
      outageOf([entry('await-deletion', { lastPresentAt: null, goneAt: '2026-12-02T00:00:02.000Z' })]),
    ).toEqual({ lastPresentAt: null, deletionSeenAt: '2026-12-02T00:00:02.000Z' });
  });
});

describe('summarizeOutages', () => {
  it('gives nearest-rank p50 and p95', () => {
    const seconds = Array.from({ length: 20 }, (_, i) => i + 1); // 1 … 20
    expect(summarizeOutages(seconds)).toEqual({ groups: 20, p50Seconds: 10, p95Seconds: 19, maxSeconds: 20 });
    expect(summarizeOutages([4])).toEqual({ groups: 1, p50Seconds: 4, p95Seconds: 4, maxSeconds: 4 });
    expect(summarizeOutages([])).toBeNull();
  });
});
