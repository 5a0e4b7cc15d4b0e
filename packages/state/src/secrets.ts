// A guard that keeps secrets out of the state store: the store outlives the run, is exported as
// an audit trail and may be shared in PostgreSQL, so a password or key must never land in it.
import { SecretInStateError } from './errors.js';
import type { JsonValue } from './types.js';

// Keys are compared lower-cased with "-", "_" and "." removed: "client_secret", "clientSecret" and
// "Client-Secret" are the same key.
const SECRET_KEY_PARTS = ['password', 'passwd', 'passphrase', 'privatekey', 'secret'];
// "token" and friends only as a suffix, so e.g. "tokenEndpoint" (a URL) stays allowed.
const SECRET_KEY_SUFFIXES = ['token', 'apikey', 'credential', 'credentials', 'pfx'];
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

// A key that is a generated id (ids.ts newId: ten time characters and twelve random ones, lower-case base32, e.g. a
// batch level's deletionsSeen keyed by migration id) names a record, not a secret: its random tail ends in "pfx" or
// "token"-like letters now and then (a 200-group batch failed in CI on "…dpfx").
const GENERATED_ID = /^[0-9a-z]{22}$/;

export function isSecretKey(key: string): boolean {
  if (GENERATED_ID.test(key) && /\d/.test(key)) return false;
  const normalized = key.toLowerCase().replace(/[-_.]/g, '');
  return (
    SECRET_KEY_PARTS.some((part) => normalized.includes(part)) ||
    SECRET_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix))
  );
}

function walk(value: unknown, path: string, found: string[]): void {
  if (typeof value === 'string') {
    if (PRIVATE_KEY_PEM.test(value)) found.push(path || '(value)');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${path}[${index}]`, found));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (isSecretKey(key)) found.push(childPath);
      else walk(child, childPath, found);
    }
  }
}

/** Paths of everything in `value` that looks like a secret (by key name or PEM private key text). */
export function findSecrets(value: unknown): string[] {
  const found: string[] = [];
  walk(value, '', found);
  return found;
}

/** Throws SecretInStateError naming every offending path; `where` says what was being stored. */
export function assertNoSecrets(where: string, value: unknown): void {
  const found = findSecrets(value);
  if (found.length > 0) throw new SecretInStateError(where, found);
}

/** A deep copy without secret-looking keys, and with PEM private keys replaced by "[redacted]". */
export function stripSecrets<T extends JsonValue>(value: T): T {
  if (typeof value === 'string') return (PRIVATE_KEY_PEM.test(value) ? '[redacted]' : value) as T;
  if (Array.isArray(value)) return value.map((item) => stripSecrets(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, child] of Object.entries(value)) {
      if (!isSecretKey(key)) out[key] = stripSecrets(child as JsonValue);
    }
    return out as T;
  }
  return value;
}
