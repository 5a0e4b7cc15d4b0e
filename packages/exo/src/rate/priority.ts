// The priority lane: calls made inside `urgently(...)` wait ahead of every other caller for a rate permit and for a
// concurrency slot (still FIFO among themselves). A batch puts each group's take-over there, so a group whose synced
// original was just deleted gets its addresses before other groups' dispose and rewire calls (issue 15: the outage
// is the time an address has no recipient). The lane travels with the async context (AsyncLocalStorage), so nothing
// between the step and the transport has to pass it on.
// Inside the lane, a call made for a whole wave (`urgently(work, { ahead: true })`: the deletion watch's poll, the
// gathered convergence read of every group whose address write is done) goes ahead of the lane's own queue: one such
// call detects or ends the outage of many groups, while a group's address write ends none by itself — it still needs
// its read. Queued behind a wave's hundreds of writes, the read that ended the first group's outage went out only after
// the last write (at 200 groups every group of a wave converged at the same instant, 1.5 s after the first write).
import { AsyncLocalStorage } from 'node:async_hooks';

/** 0: ordinary; 1: the priority lane; 2: a call for a whole wave, ahead of the lane. */
type Priority = 0 | 1 | 2;

const lane = new AsyncLocalStorage<Priority>();

/**
 * Runs `work` with every Exchange Online and Graph call it makes in the priority lane; with `ahead`, ahead of the
 * lane's other calls too (a call made for many groups at once).
 */
export function urgently<T>(work: () => Promise<T>, options?: { readonly ahead?: boolean }): Promise<T> {
  return lane.run(options?.ahead === true ? 2 : 1, work);
}

/** The priority of a call made now (0 outside the lane). */
export function callerPriority(): Priority {
  return lane.getStore() ?? 0;
}

/** Queues `item` after the items of its priority or a higher one already waiting, ahead of every lower one. */
export function enqueue<T extends { readonly priority: number }>(queue: T[], item: T): void {
  if (item.priority === 0 || queue.length === 0 || queue[queue.length - 1]!.priority >= item.priority) {
    queue.push(item);
    return;
  }
  const firstLower = queue.findIndex((w) => w.priority < item.priority);
  queue.splice(firstLower, 0, item);
}
