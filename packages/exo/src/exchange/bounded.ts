// Runs one async job per item with at most `width` outstanding at a time. It bounds how many calls wait in the
// transport's limiter (AdaptiveLimit), which alone decides how many are in flight: it is not a second limiter.
// The first failure stops new jobs; the ones already started finish, then that failure is thrown.
export async function forEachBounded<T>(
  items: readonly T[],
  width: number,
  job: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await job(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
}
