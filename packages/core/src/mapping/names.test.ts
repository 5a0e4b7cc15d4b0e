import { describe, expect, it } from 'vitest';
import {
  fitsNameLimit,
  retainedName,
  retainedSamAccountName,
  routingContactAddress,
  routingContactName,
  temporaryGroupName,
} from './names.js';

describe('names', () => {
  it('checks prefix + name + suffix against 64 characters', () => {
    expect(fitsNameLimit('a'.repeat(60), { prefix: 'ab', suffix: 'cd' })).toBe(true);
    expect(fitsNameLimit('a'.repeat(60), { prefix: 'abc', suffix: 'cd' })).toBe(false);
  });

  it('derives the same temporary name from the same migration id, within 64 characters', () => {
    const id = '0f8c2b1e-7d4a-4e0b-9c11-3b2a5d6e7f80';
    expect(temporaryGroupName(id)).toBe(temporaryGroupName(id));
    expect(temporaryGroupName(id)).toMatch(/^dlmigrate-staging-[a-z0-9]+$/);
    expect(temporaryGroupName(id).length).toBeLessThanOrEqual(64);
    expect(temporaryGroupName('A')).not.toBe(temporaryGroupName('B'));
    expect(() => temporaryGroupName('---')).toThrow(/no letters or digits/);
  });

  it('appends ! once, cutting a 64-character name to 63 first', () => {
    expect(retainedName('Sales')).toBe('Sales!');
    expect(retainedName('Sales!')).toBe('Sales!');
    const long = 'x'.repeat(64);
    expect(retainedName(long)).toBe('x'.repeat(63) + '!');
    expect(retainedSamAccountName('sales')).toBe('sales!');
  });

  it('builds routing contact names and addresses within their limits', () => {
    expect(routingContactName('Sales Team')).toBe('SalesTeam-MigratedByScript');
    expect(routingContactName('y'.repeat(64))).toHaveLength(64);
    expect(routingContactAddress('sales.team@contoso.com')).toBe('sales.team-MigratedByScript@contoso.com');
    const local = routingContactAddress(`${'z'.repeat(60)}@contoso.com`).split('@')[0];
    expect(local).toHaveLength(64);
    expect(() => routingContactAddress('nope')).toThrow(/not an e-mail address/);
  });
});
