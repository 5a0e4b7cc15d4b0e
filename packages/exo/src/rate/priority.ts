// The priority lane: calls made inside `urgently(...)` wait ahead of every other caller for a rate permit and for a
// concurrency slot (still FIFO among themselves). A batch puts each group's take-over there, so a group whose synced
// original was just deleted gets its addresses before other groups' dispose and rewire calls (issue 15: the outage
// is the time an address has no recipient). The lane travels with the async context (AsyncLocalStorage), so nothing
// between the step and the transport has to pass it on.
import { AsyncLocalStorage } from 'node:async_hooks';

const lane = new AsyncLocalStorage<'urgent'>();

/** Runs `work` with every Exchange Online and Graph call it makes in the priority lane. */
export function urgently<T>(work: () => Promise<T>): Promise<T> {
  return lane.run('urgent', work);
}

/** Is the current call made in the priority lane? */
export function inPriorityLane(): boolean {
  return lane.getStore() === 'urgent';
}

/** Queues `item`: an urgent one after the urgent ones already waiting, ahead of every other; others at the end. */
export function enqueue<T extends { readonly urgent: boolean }>(queue: T[], item: T): void {
  if (!item.urgent) {
    queue.push(item);
    return;
  }
  const firstOrdinary = queue.findIndex((w) => !w.urgent);
  if (firstOrdinary < 0) queue.push(item);
  else queue.splice(firstOrdinary, 0, item);
}
