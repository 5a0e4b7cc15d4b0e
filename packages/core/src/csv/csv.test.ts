import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv, type CsvColumn } from './csv.js';

interface Row {
  address: string;
  displayName: string;
  level: number | null;
}

const COLUMNS: CsvColumn<Row>[] = [
  { header: 'address', value: (r) => r.address },
  { header: 'displayName', value: (r) => r.displayName },
  { header: 'level', value: (r) => r.level },
];

describe('CSV', () => {
  const rows: Row[] = [
    { address: 'sales@contoso.com', displayName: 'Sales, "EMEA"', level: 0 },
    { address: 'zuerich@contoso.com', displayName: 'Zürich, R&D — Ünïcödé 東京', level: 1 },
    { address: 'notes@contoso.com', displayName: 'two\nlines', level: null },
    { address: 'x@contoso.com', displayName: ' padded ', level: 2 },
  ];

  it('writes UTF-8 with a BOM, CRLF and RFC 4180 quoting', () => {
    expect(toCsv(COLUMNS, rows.slice(0, 3))).toBe(
      '\uFEFFaddress,displayName,level\r\n' +
        'sales@contoso.com,"Sales, ""EMEA""",0\r\n' +
        'zuerich@contoso.com,"Zürich, R&D — Ünïcödé 東京",1\r\n' +
        'notes@contoso.com,"two\nlines",\r\n',
    );
  });

  it('reads back exactly what it wrote, with the line each record starts on', () => {
    const records = parseCsv(toCsv(COLUMNS, rows));
    expect(records.map((r) => r.fields)).toEqual([
      ['address', 'displayName', 'level'],
      ...rows.map((r) => [r.address, r.displayName, r.level === null ? '' : String(r.level)]),
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 6]);
  });

  it('keeps a spreadsheet from running a cell as a formula, and reads the value back unchanged', () => {
    const hostile = { address: '-x@contoso.com', displayName: '=HYPERLINK("http://evil","click")', level: 0 };
    const text = toCsv(COLUMNS, [hostile]);
    expect(text).toContain(`'-x@contoso.com,"'=HYPERLINK(""http://evil"",""click"")"`);
    expect(parseCsv(text)[1]!.fields).toEqual([hostile.address, hostile.displayName, '0']);
  });

  it('tolerates no BOM, LF line ends, a missing final line end and blank lines', () => {
    expect(parseCsv('a,b\n\n1,2').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(() => parseCsv('a,b\n"open,2\n')).toThrow(/line 2 is never closed/);
  });
});
