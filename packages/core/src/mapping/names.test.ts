import { describe, expect, it } from 'vitest';
import { fitsNameLimit, temporaryGroupName, withAffixes } from './names.js';

describe('names', () => {
  it('checks prefix + name + suffix against 64 characters', () => {
    expect(withAffixes('Sales', { prefix: 'C-', suffix: '-x' })).toBe('C-Sales-x');
    expect(fitsNameLimit('a'.repeat(60), { prefix: 'ab', suffix: 'cd' })).toBe(true);
    expect(fitsNameLimit('a'.repeat(60), { prefix: 'abc', suffix: 'cd' })).toBe(false);
    expect(fitsNameLimit('東'.repeat(64), {})).toBe(true);
  });

  it('derives the same temporary name from the same migration id, within 64 characters', () => {
    const id = '0f8c2b1e-7d4a-4e0b-9c11-3b2a5d6e7f80';
    expect(temporaryGroupName(id)).toBe(temporaryGroupName(id));
    expect(temporaryGroupName(id)).toMatch(/^dlmigrate-staging-[a-z0-9]+$/);
    expect(temporaryGroupName(id.repeat(3)).length).toBe(64);
    expect(temporaryGroupName('A')).not.toBe(temporaryGroupName('B'));
    expect(() => temporaryGroupName('---')).toThrow(/no letters or digits/);
  });
});
