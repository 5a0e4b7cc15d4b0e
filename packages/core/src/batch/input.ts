// The list of groups a batch starts from: a plain list (one address a line) or a CSV export with an address column.
// Everything wrong with it is reported at once, with the line it is on, before anything is read from the directory —
// DLConversionV2 meant to de-duplicate and did not (research §8 B8), so two jobs could migrate the same group.

/** A problem with one line of the input; the batch does not start while any `blocking` one stands. */
export interface InputProblem {
  readonly code: 'MALFORMED_ADDRESS' | 'DUPLICATE_IN_INPUT' | 'NO_ADDRESS_COLUMN' | 'EMPTY_INPUT';
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

/** Lines as entered (a string is split on line breaks). */
export function parseGroupList(input: string | readonly string[]): GroupList {
  const lines = typeof input === 'string' ? input.split(/\r?\n/) : [...input];
  const problems: InputProblem[] = [];
  const firstContent = lines.findIndex((l) => l.trim() !== '');
  if (firstContent === -1) {
    return {
      groups: [],
      problems: [
        { code: 'EMPTY_INPUT', severity: 'blocking', line: 0, value: '', message: 'the list names no group' },
      ],
    };
  }

  let column: number | undefined; // set when the input is a CSV with a header
  let start = firstContent;
  const header = splitCsvLine(lines[firstContent]!).map((h) => h.trim().toLowerCase());
  if (header.length > 1 || !header[0]!.includes('@')) {
    column = ADDRESS_COLUMNS.map((name) => header.indexOf(name)).find((i) => i >= 0);
    if (column === undefined) {
      const message = `the first line is neither an address nor a header with an address column (${ADDRESS_COLUMNS.join(', ')})`;
      return {
        groups: [],
        problems: [
          {
            code: 'NO_ADDRESS_COLUMN',
            severity: 'blocking',
            line: firstContent + 1,
            value: lines[firstContent]!,
            message,
          },
        ],
      };
    }
    start = firstContent + 1;
  }

  const seen = new Map<string, number>();
  const groups: ListedGroup[] = [];
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const value = stripSmtpPrefix((column === undefined ? raw : (splitCsvLine(raw)[column] ?? '')).trim());
    const line = i + 1;
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
  if (groups.length === 0 && problems.length === 0) {
    problems.push({
      code: 'EMPTY_INPUT',
      severity: 'blocking',
      line: 0,
      value: '',
      message: 'the list names no group',
    });
  }
  return { groups, problems };
}

/** "SMTP:a@b" (as proxyAddresses exports show it) is the address a@b. */
function stripSmtpPrefix(value: string): string {
  return /^smtp:/i.test(value) ? value.slice(5) : value;
}

/** One CSV record on one line (RFC 4180 quoting; exports of group lists never break a field across lines). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}
