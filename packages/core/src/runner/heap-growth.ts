// How far V8 lets a runner's heap grow past what is alive before it collects (issue 17). On a machine with memory to
// spare V8 lets the old generation grow to up to four times the heap alive at its last full collection, and a
// migration makes garbage fast (the replies of 95,000 membership additions, the parse of each member page): a
// 100,000-member migration whose heap held 36–60 MiB alive (--trace-gc, bench/memory.bench.ts CHILD_OUT) peaked at
// 396–558 MiB RSS from one run of the same code to the next, set by when V8 happened to collect. Growing by 30 % of
// what is alive instead bounds the peak by the working set. `--heap-growing-percent` is read by V8 each time it sets
// the next limit, so setting it at run time takes effect at the next collection (a plain number, not a flag that
// shapes the heap as it is made).
import { setFlagsFromString } from 'node:v8';

/** The heap may grow by this share of what is alive before V8 collects it again. */
const HEAP_GROWING_PERCENT = 30;

const FLAG = '--heap-growing-percent';

/**
 * Called by a process that runs migrations (the command line, a runner), before it starts: a library never sets V8
 * flags for its host. An operator's own setting (a Node flag or NODE_OPTIONS) is kept. Returns the setting in force.
 */
export function boundHeapGrowth(percent: number = HEAP_GROWING_PERCENT): string {
  const given = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)].find((a) =>
    a.startsWith(FLAG),
  );
  if (given !== undefined) return given;
  setFlagsFromString(`${FLAG}=${percent}`);
  return `${FLAG}=${percent}`;
}
