// Sortable ids: 10 characters of millisecond time then 12 random ones, in lower-case Crockford
// base32, so ids sort by creation, are safe in file names and short enough for the engine to derive
// temporary cloud names from them.
import { randomBytes } from 'node:crypto';

import { InvalidInputError } from './errors.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

export function newId(now: number = Date.now()): string {
  const random = randomBytes(12);
  let tail = '';
  for (const byte of random) tail += ALPHABET[byte % 32];
  return encodeTime(now) + tail;
}

// Ids end up in file names (export) and in cloud object names, hence the narrow alphabet.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertValidId(what: string, id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new InvalidInputError(
      `${what} id ${JSON.stringify(id)} is not valid: use 1–128 characters of letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
}
