import { describe, expect, it } from 'vitest';
import { forEachBounded } from './bounded.js';

describe('forEachBounded', () => {
  it('runs every job with at most `width` outstanding', async () => {
    let active = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      done.push(n);
      active--;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('stops starting jobs after the first failure, lets started ones finish, then throws it', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = forEachBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('two');
      await new Promise((resolve) => setTimeout(resolve, 5));
      finished.push(n);
    });
    await expect(run).rejects.toThrow('two');
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([1]);
  });

  it('does nothing for no items', async () => {
    await forEachBounded([], 4, () => Promise.reject(new Error('never')));
  });
});
