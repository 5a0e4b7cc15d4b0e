// CSV as Exchange administrators exchange it with Excel (RFC 4180). Writing: UTF-8 with a byte order mark (without
// it Excel reads a CSV file in the machine's ANSI code page and garbles "Zürich"), CRLF line ends, a header row, and
// a field quoted when it holds a comma, a quote (doubled), a line break or leading/trailing spaces. Reading: the same,
// tolerating what spreadsheets write back — a BOM or none, CRLF or LF, a last line without a line end, and ";" as
// the separator (Excel in locales whose decimal mark is a comma saves "CSV" that way).
//
// Formula injection: a cell that starts with = + - @ (or a tab / CR) is run as a formula when Excel opens the file,
// and a group's display name is whatever someone typed into AD. Such a text cell is written with a leading
// apostrophe, which Excel shows as text and never evaluates; the reader removes exactly that apostrophe again, so the
// value round-trips (OWASP "CSV Injection").

import { CoreError } from '../errors/core-error.js';

export type CsvValue = string | number | boolean | null | undefined;

export interface CsvColumn<Row> {
  /** The header: part of a file's contract with whoever reads it (documented, never renamed). */
  readonly header: string;
  readonly value: (row: Row) => CsvValue;
}

export class CsvError extends CoreError {
  declare readonly code: 'CSV_MALFORMED';
  constructor(
    message: string,
    /** 1-based line where the problem starts. */
    readonly line: number,
  ) {
    super('CSV_MALFORMED', message);
  }
}

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

/** One whole file: BOM, header, one CRLF-terminated record per row. */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: Iterable<Row>): string {
  const lines = [columns.map((c) => field(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => field(c.value(row))).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface CsvRecord {
  /** 1-based line the record starts on (a quoted field may span lines). */
  readonly line: number;
  readonly fields: readonly string[];
}

/** Every record of a file, the header included; blank lines are skipped. Throws CsvError on an unclosed quote. */
export function parseCsv(text: string): CsvRecord[] {
  const input = text.startsWith(BOM) ? text.slice(1) : text;
  const separator = guessSeparator(input);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let current = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const endField = () => {
    fields.push(unescapeFormula(current));
    current = '';
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0]!.trim() === '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        current += c;
      }
    } else if (c === '"' && current === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === separator) {
      endField();
    } else if (c === '\r' && input[i + 1] === '\n') {
      // CRLF: the LF ends the record
    } else if (c === '\n' || c === '\r') {
      endRecord();
      line++;
      recordLine = line;
    } else {
      current += c;
    }
  }
  if (quoted) throw new CsvError(`a quoted field opened on line ${quoteLine} is never closed`, quoteLine);
  if (current !== '' || fields.length > 0) endRecord();
  return records;
}

/** "," unless the first line has no comma outside quotes but has a ";" (Excel's list separator in many locales). */
function guessSeparator(text: string): ',' | ';' {
  let quoted = false;
  let semicolon = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') return ',';
    else if (!quoted && c === ';') semicolon = true;
  }
  return semicolon ? ';' : ',';
}

function unescapeFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
