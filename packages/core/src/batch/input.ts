// The list of groups a batch starts from: a plain list (one address a line) or a CSV export with an address column —
// e.g. the file `dlmigrate plan --csv` wrote, edited in Excel (read by ../csv/csv.ts: BOM, CRLF, quoted fields, ";").
// Everything wrong with it is reported at once, with the line it is on, before anything is read from the directory —
// DLConversionV2 meant to de-duplicate and did not (docs/reference-behaviour.md#batches), so two jobs could migrate the same group.
import { CsvError, parseCsv, type CsvRecord } from '../csv/csv.js';

/** A problem with one line of the input; the batch does not start while any `blocking` one stands. */
export interface InputProblem {
  readonly code:
    'MALFORMED_ADDRESS' | 'DUPLICATE_IN_INPUT' | 'NO_ADDRESS_COLUMN' | 'EMPTY_INPUT' | 'MALFORMED_CSV';
  readonly severity: 'blocking' | 'info';
  /** 1-based line of the input (0 when the problem is about the input as a whole). */
  readonly line: number;
  readonly value: string;
  readonly message: string;
}

export interface ListedGroup {
  readonly address: string;
  /** 1-based line of the input it came from. */
  readonly line: number;
}

export interface GroupList {
  /** Groups in input order, each address once (the first spelling wins). */
  readonly groups: readonly ListedGroup[];
  readonly problems: readonly InputProblem[];
}

/** Header names (lower case) that hold the group's address, in the order they are preferred. */
const ADDRESS_COLUMNS = [
  'address',
  'primarysmtpaddress',
  'primarysmtpaddressorupn',
  'mail',
  'emailaddress',
  'email',
  'group',
  'groupsmtpaddress',
];

// Deliberately strict: one @, a dot-atom local part (or a quoted one) and a domain of LDH labels. Anything looser would
// let a typo reach the directory as a search value.
const LOCAL_PART =
  /^(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*|"(?:[^"\\\r\n]|\\.)+")$/;
const DOMAIN_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function isSmtpAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1 || value.length > 320) return false;
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  return (
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((l) => DOMAIN_LABEL.test(l))
  );
}

/**
 * A string is a file's text (plain list or CSV); an array holds one address per element (the command line's
 * arguments), never split further.
 */
export function parseGroupList(input: string | readonly string[]): GroupList {
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : undefined;
  const lines = text !== undefined ? text.split(/\r\n|\r|\n/) : [...input];
  const firstContent = lines.findIndex((l) => l.trim() !== '');
  if (firstContent === -1) return { groups: [], problems: [emptyInput()] };

  const firstLine = lines[firstContent]!;
  const plainList = text === undefined || (!/[,;]/.test(firstLine) && firstLine.includes('@'));
  let entries: { line: number; value: string }[];
  if (plainList) {
    entries = lines
      .map((raw, i) => ({ line: i + 1, value: raw }))
      .filter((entry) => entry.value.trim() !== '');
  } else {
    let records: CsvRecord[];
    try {
      records = parseCsv(text!);
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      return {
        groups: [],
        problems: [
          {
            code: 'MALFORMED_CSV',
            severity: 'blocking',
            line: error.line,
            value: '',
            message: error.message,
          },
        ],
      };
    }
    const [header, ...rows] = records;
    const names = header!.fields.map((h) => h.trim().toLowerCase());
    const column = ADDRESS_COLUMNS.map((name) => names.indexOf(name)).find((i) => i >= 0);
    if (column === undefined) {
      const message = `the first line is neither an address nor a header with an address column (${ADDRESS_COLUMNS.join(', ')})`;
      return {
        groups: [],
        problems: [
          { code: 'NO_ADDRESS_COLUMN', severity: 'blocking', line: header!.line, value: firstLine, message },
        ],
      };
    }
    entries = rows.map((record) => ({ line: record.line, value: record.fields[column] ?? '' }));
  }

  const problems: InputProblem[] = [];
  const seen = new Map<string, number>();
  const groups: ListedGroup[] = [];
  for (const entry of entries) {
    const { line } = entry;
    const value = stripSmtpPrefix(entry.value.trim());
    if (!isSmtpAddress(value)) {
      const message = value === '' ? 'no address on this line' : `"${value}" is not an SMTP address`;
      problems.push({ code: 'MALFORMED_ADDRESS', severity: 'blocking', line, value, message });
      continue;
    }
    const key = value.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        code: 'DUPLICATE_IN_INPUT',
        severity: 'info',
        line,
        value,
        message: `already listed on line ${first}; migrated once`,
      });
      continue;
    }
    seen.set(key, line);
    groups.push({ address: value, line });
  }
  if (groups.length === 0 && problems.length === 0) problems.push(emptyInput());
  return { groups, problems };
}

function emptyInput(): InputProblem {
  return {
    code: 'EMPTY_INPUT',
    severity: 'blocking',
    line: 0,
    value: '',
    message: 'the list names no group',
  };
}

/** "SMTP:a@b" (as proxyAddresses exports show it) is the address a@b. */
function stripSmtpPrefix(value: string): string {
  return /^smtp:/i.test(value) ? value.slice(5) : value;
}
