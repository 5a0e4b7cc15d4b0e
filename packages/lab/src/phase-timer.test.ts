import { describe, expect, it } from 'vitest';
import { phaseTimer } from './phase-timer.js';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('phaseTimer', () => {
  it('charges each lap at least the time since the previous one, and adds up a phase lapped twice', () => {
    const { phases, lap } = phaseTimer(['add', 'link', 'index']);
    expect(phases).toEqual({ add: 0, link: 0, index: 0 });
    busy(30);
    lap('add');
    lap('link');
    busy(20);
    lap('index');
    busy(20);
    lap('index');
    expect(phases.add).toBeGreaterThanOrEqual(29);
    expect(phases.index).toBeGreaterThanOrEqual(39);
  });
});
