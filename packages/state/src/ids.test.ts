import { describe, expect, it } from 'vitest';

import { assertValidId, newId } from './ids.js';

describe('ids', () => {
  it('sort by creation time', () => {
    const ids = [0, 1, 31, 32, 1_700_000_000_000, 1_700_000_000_001, 2 ** 48].map((ms) => newId(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set([newId(5), newId(5)]).size).toBe(2);
  });

  it('accept only file-name-safe ids', () => {
    expect(() => assertValidId('migration', 'wave-1.group_2')).not.toThrow();
    for (const bad of ['', '.hidden', '../x', 'a/b', 'a b', 'x'.repeat(129)]) {
      expect(() => assertValidId('migration', bad), bad).toThrow(/not valid/);
    }
  });
});
