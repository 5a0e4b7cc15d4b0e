import { describe, expect, it } from 'vitest';
import { isSmtpAddress, parseGroupList } from './input.js';

describe('parseGroupList', () => {
  it('reads a plain list: trims, drops blank lines, keeps the first spelling of a duplicate', () => {
    const list = parseGroupList([
      '  sales@contoso.com ',
      '',
      'Board@contoso.com',
      'SALES@contoso.com',
      'smtp:execs@contoso.com',
    ]);
    expect(list.groups).toEqual([
      { address: 'sales@contoso.com', line: 1 },
      { address: 'Board@contoso.com', line: 3 },
      { address: 'execs@contoso.com', line: 5 },
    ]);
    expect(list.problems).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_IN_INPUT', severity: 'info', line: 4 }),
    ]);
  });

  it('reports every malformed line at once, with its line number', () => {
    const list = parseGroupList(
      'sales@contoso.com\nnot an address\n@contoso.com\nx@-bad-.com\nok@contoso.com\n',
    );
    expect(list.problems.map((p) => [p.code, p.line])).toEqual([
      ['MALFORMED_ADDRESS', 2],
      ['MALFORMED_ADDRESS', 3],
      ['MALFORMED_ADDRESS', 4],
    ]);
    expect(list.groups.map((g) => g.address)).toEqual(['sales@contoso.com', 'ok@contoso.com']);
  });

  it('reads a CSV export by its address column, with quoting', () => {
    const csv =
      'Name,PrimarySMTPAddress,Notes\n"Sales, EMEA",sales@contoso.com,"said ""hi"""\nBoard,board@contoso.com,\n';
    const list = parseGroupList(csv);
    expect(list.problems).toEqual([]);
    expect(list.groups.map((g) => [g.address, g.line])).toEqual([
      ['sales@contoso.com', 2],
      ['board@contoso.com', 3],
    ]);
  });

  it('reads what Excel saves: BOM, CRLF, a line break inside a quoted cell, ";" as the separator', () => {
    const excel =
      '\uFEFFaddress,displayName\r\nsales@contoso.com,"Sales\r\nEMEA"\r\nboard@contoso.com,Board\r\n';
    expect(parseGroupList(excel).groups).toEqual([
      { address: 'sales@contoso.com', line: 2 },
      { address: 'board@contoso.com', line: 4 },
    ]);
    const german = '\uFEFFaddress;displayName\r\nzuerich@contoso.com;"Zürich; R&D"\r\n';
    expect(parseGroupList(german).groups.map((g) => g.address)).toEqual(['zuerich@contoso.com']);
    const plain = '\uFEFFsales@contoso.com\r\nboard@contoso.com\r\n';
    expect(parseGroupList(plain).groups.map((g) => g.address)).toEqual([
      'sales@contoso.com',
      'board@contoso.com',
    ]);
  });

  it('refuses a CSV with an unclosed quote, saying where', () => {
    expect(
      parseGroupList('address,displayName\nsales@contoso.com,"Sales\nboard@contoso.com,x\n').problems,
    ).toEqual([expect.objectContaining({ code: 'MALFORMED_CSV', line: 2, severity: 'blocking' })]);
  });

  it('refuses a CSV without an address column and an empty list', () => {
    expect(parseGroupList('Name,Notes\nSales,x\n').problems[0]?.code).toBe('NO_ADDRESS_COLUMN');
    expect(parseGroupList('\n\n').problems[0]?.code).toBe('EMPTY_INPUT');
    expect(parseGroupList([]).problems[0]?.code).toBe('EMPTY_INPUT');
  });
});

describe('isSmtpAddress', () => {
  it('accepts dot-atom and quoted local parts, refuses the rest', () => {
    expect(isSmtpAddress("o'brien-team@contoso.com")).toBe(true);
    expect(isSmtpAddress('"a b"@contoso.com')).toBe(true);
    expect(isSmtpAddress('a..b@contoso.com')).toBe(false);
    expect(isSmtpAddress('a@localhost')).toBe(false);
    expect(isSmtpAddress('a@b@contoso.com')).toBe(false);
    expect(isSmtpAddress(`${'x'.repeat(65)}@contoso.com`)).toBe(false);
  });
});
