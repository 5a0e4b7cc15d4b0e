import { describe, expect, it } from 'vitest';
import { TakeOverLane } from './take-over-lane.js';

/** Lets every promise callback that is ready run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function watch(promise: Promise<void>) {
  const seen = { done: false };
  void promise.then(() => (seen.done = true));
  return seen;
}

describe('TakeOverLane', () => {
  it('lets a later step start at once when no take-over is due', async () => {
    const lane = new TakeOverLane();
    const later = watch(lane.afterTakeOver('a'));
    await settle();
    expect(later.done).toBe(true);
  });

  it('holds later steps until every group whose deletion was seen has ended its take-over', async () => {
    const lane = new TakeOverLane();
    lane.enter('a');
    lane.enter('b');
    const dispose = watch(lane.afterTakeOver('c'));
    await settle();
    expect(dispose.done).toBe(false);
    lane.leave('a');
    await settle();
    expect(dispose.done).toBe(false);
    lane.leave('b');
    await settle();
    expect(dispose.done).toBe(true);
  });

  it('never holds a group for itself: reaching a later step takes it out of the lane', async () => {
    const lane = new TakeOverLane();
    lane.enter('a'); // a resumed run whose take-over was done before
    const own = watch(lane.afterTakeOver('a'));
    await settle();
    expect(own.done).toBe(true);
    lane.enter('b');
    const other = watch(lane.afterTakeOver('c'));
    lane.leave('x'); // a group not in the lane changes nothing
    await settle();
    expect(other.done).toBe(false);
    // b reaches its own later step: it leaves, and everyone waiting goes, b included.
    const b = watch(lane.afterTakeOver('b'));
    await settle();
    expect([other.done, b.done]).toEqual([true, true]);
  });

  it('lets a waiting step go when the run is asked to stop', async () => {
    const lane = new TakeOverLane();
    lane.enter('a');
    const stop = new AbortController();
    const later = watch(lane.afterTakeOver('c', stop.signal));
    await settle();
    expect(later.done).toBe(false);
    stop.abort('SIGTERM');
    await settle();
    expect(later.done).toBe(true);
  });
});
