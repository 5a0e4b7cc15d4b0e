import { describe, expect, it } from 'vitest';
import { findCycles, planBatch, splitIntoWaves } from './graph.js';

const none = { skipNestedGroupCheck: false, isMigrated: () => false };

describe('planBatch', () => {
  it('orders three levels of nesting children first', () => {
    const plan = planBatch(
      [
        { id: 'top@c.com', childGroups: ['mid@c.com'] },
        { id: 'mid@c.com', childGroups: ['leaf@c.com', 'leaf2@c.com'] },
        { id: 'leaf@c.com', childGroups: [] },
        { id: 'leaf2@c.com', childGroups: [] },
        { id: 'alone@c.com', childGroups: [] },
      ],
      none,
    );
    expect(plan.levels).toEqual([['leaf@c.com', 'leaf2@c.com', 'alone@c.com'], ['mid@c.com'], ['top@c.com']]);
    expect(plan.blocked.size).toBe(0);
  });

  it('names the cycle and blocks the groups in it and their parents', () => {
    const plan = planBatch(
      [
        { id: 'a@c.com', childGroups: ['b@c.com'] },
        { id: 'b@c.com', childGroups: ['c@c.com'] },
        { id: 'c@c.com', childGroups: ['A@c.com'] },
        { id: 'parent@c.com', childGroups: ['a@c.com'] },
        { id: 'ok@c.com', childGroups: [] },
      ],
      none,
    );
    expect(plan.levels).toEqual([['ok@c.com']]);
    const a = plan.blocked.get('a@c.com');
    expect(a?.code).toBe('CIRCULAR_REFERENCE_EXCEPTION');
    expect(a?.message).toMatch(
      /a@c\.com → b@c\.com → c@c\.com → a@c\.com|b@c\.com → c@c\.com → a@c\.com → b@c\.com|c@c\.com → a@c\.com → b@c\.com → c@c\.com/,
    );
    expect(plan.blocked.get('c@c.com')?.code).toBe('CIRCULAR_REFERENCE_EXCEPTION');
    expect(plan.blocked.get('parent@c.com')?.code).toBe('CHILD_GROUP_MIGRATION_EXCEPTION');
    expect(plan.blocked.get('parent@c.com')?.message).toMatch(/a@c\.com/);
  });

  it('blocks a parent whose child is outside the set and not migrated, naming the child', () => {
    const groups = [
      { id: 'p@c.com', childGroups: ['outside@c.com'] },
      { id: 'gp@c.com', childGroups: ['p@c.com'] },
    ];
    const plan = planBatch(groups, none);
    expect(plan.blocked.get('p@c.com')).toMatchObject({ code: 'NESTED_GROUP_EXCEPTION' });
    expect(plan.blocked.get('p@c.com')?.message).toMatch(/outside@c\.com/);
    expect(plan.blocked.get('gp@c.com')?.code).toBe('CHILD_GROUP_MIGRATION_EXCEPTION');
    expect(planBatch(groups, { ...none, isMigrated: (c) => c === 'outside@c.com' }).levels).toEqual([
      ['p@c.com'],
      ['gp@c.com'],
    ]);
    expect(planBatch(groups, { ...none, skipNestedGroupCheck: true }).blocked.size).toBe(0);
  });

  it('handles a chain deeper than the call stack would allow recursively', () => {
    const n = 5000;
    const groups = Array.from({ length: n }, (_, i) => ({
      id: `g${i}`,
      childGroups: i > 0 ? [`g${i - 1}`] : [],
    }));
    expect(findCycles(new Map(groups.map((g) => [g.id, g.childGroups])))).toEqual([]);
    const ring = new Map(groups.map((g, i) => [g.id, [`g${(i + 1) % n}`]]));
    const cycles = findCycles(ring);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n);
  });
});

describe('splitIntoWaves', () => {
  it('keeps each wave within the deletion threshold', () => {
    expect(splitIntoWaves([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(splitIntoWaves([], 500)).toEqual([]);
    expect(() => splitIntoWaves([1], 0)).toThrow(/positive integer/);
  });
});

describe('planBatch at scale', () => {
  it('levels a 5,000-deep chain without recursion', () => {
    const n = 5000;
    const groups = Array.from({ length: n }, (_, i) => ({
      id: `g${i}`,
      childGroups: i > 0 ? [`g${i - 1}`] : [],
    }));
    const plan = planBatch(groups, none);
    expect(plan.levels).toHaveLength(n);
    expect(plan.levels[n - 1]).toEqual([`g${n - 1}`]);
  });
});
