import { describe, expect, it } from 'vitest';
import { chunkedAnyOf, opathAnyOf, opathEquals, quoteOpath } from './opath.js';

describe('OPATH filters', () => {
  it("doubles single quotes so a value can't end the string", () => {
    expect(quoteOpath("O'Brien")).toBe("'O''Brien'");
    expect(opathEquals('EmailAddresses', "x') -or (Name -like '*")).toBe(
      "EmailAddresses -eq 'x'') -or (Name -like ''*'",
    );
  });
  it('refuses property names that are not identifiers', () => {
    expect(() => opathEquals('Name -or 1', 'x')).toThrow();
  });
  it('ORs terms', () => {
    expect(opathAnyOf('ExternalDirectoryObjectId', ['a', 'b'])).toBe(
      "(ExternalDirectoryObjectId -eq 'a') -or (ExternalDirectoryObjectId -eq 'b')",
    );
  });
  it('chunks under the length and term limits and loses nothing', () => {
    const values = Array.from({ length: 1000 }, (_, i) => `user${i}@contoso.com`);
    const chunks = chunkedAnyOf('EmailAddresses', values, { maxLength: 1500, maxTerms: 50 });
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(1500);
      expect(c.split(' -or ').length).toBeLessThanOrEqual(50);
    }
    const seen = chunks.flatMap((c) => [...c.matchAll(/'([^']+)'/g)].map((m) => m[1]));
    expect(seen).toEqual(values);
  });
  it('returns no filter for no values', () => {
    expect(chunkedAnyOf('EmailAddresses', [])).toEqual([]);
  });
});
