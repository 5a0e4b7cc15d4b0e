// The headline figures a benchmark hands to bench/weather.bench.ts, which runs it with env FIGURES_FILE and reads that
// file back as JSON to put every benchmark's figures in one table; and the load average they were measured under.
import { readFileSync, writeFileSync } from 'node:fs';

/** The machine may be shared: wall times mean little without the load they ran under (1/5/15-min load average). */
export const loadAverage = (): string =>
  readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' / ');

/** Writes `figures` as JSON to env FIGURES_FILE when it is set (a run under bench/weather.bench.ts); else nothing. */
export function writeFigures(figures: object): void {
  const figuresFile = process.env['FIGURES_FILE'];
  if (figuresFile !== undefined) writeFileSync(figuresFile, JSON.stringify(figures));
}
