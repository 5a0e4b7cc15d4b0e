import { describe, expect, it } from 'vitest';
import { parseFilter } from './filter.js';

describe('OPATH parser', () => {
  it('parses comparisons, booleans, $null and nesting with PowerShell precedence', () => {
    expect(parseFilter("Name -eq 'a' -or Alias -like 'b*' -and -not (IsDirSynced -eq $true)")).toEqual({
      op: 'or',
      left: { op: 'cmp', prop: 'Name', cmp: '-eq', value: 'a' },
      right: {
        op: 'and',
        left: { op: 'cmp', prop: 'Alias', cmp: '-like', value: 'b*' },
        right: { op: 'not', expr: { op: 'cmp', prop: 'IsDirSynced', cmp: '-eq', value: true } },
      },
    });
    expect(parseFilter('CustomAttribute1 -ne $null')).toEqual({
      op: 'cmp',
      prop: 'CustomAttribute1',
      cmp: '-ne',
      value: null,
    });
  });

  it('unescapes doubled quotes; a backtick is an ordinary character inside a value', () => {
    expect(parseFilter("Name -eq 'O''Brien'")).toMatchObject({ value: "O'Brien" });
    expect(parseFilter('Name -eq "say ""hi"""')).toMatchObject({ value: 'say "hi"' });
    expect(parseFilter("Name -eq 'a`b'")).toMatchObject({ value: 'a`b' });
    // `' does not escape the quote: the value ends there and the rest is garbage.
    expect(() => parseFilter("Name -eq 'it`'s'")).toThrow(/Invalid filter syntax/);
  });

  it('refuses malformed filters', () => {
    for (const bad of [
      "Name -eq 'open",
      'Name -eq',
      "(Name -eq 'a'",
      "Name -contains 'a'",
      "Name -eq 'a' Alias",
    ]) {
      expect(() => parseFilter(bad), bad).toThrow(/Invalid filter syntax/);
    }
  });
});
