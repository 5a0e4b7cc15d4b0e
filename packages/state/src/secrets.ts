// A guard that keeps secrets out of the state store: the store outlives the run, is exported as
// an audit trail and may be shared in PostgreSQL, so a password, key or token must never land in it.
//
// Two kinds of stored JSON are judged differently, because their keys mean different things:
//  - settings (a migration's options, a batch's input) have keys that are names chosen by code or by the admin's
//    config: a key called "bindPassword" or "clientSecret" is a secret whatever its value, so names are judged;
//  - records (journal data, a batch level's data) have keys that are data too — a level's deletionsSeen is keyed by
//    migration id, a member map by address — and a random id ending in "pfx" or "token" is not a secret (a 200-group
//    batch was refused in CI at deletionsSeen.01m8wawf73hw5gkmtxdpfx). Only their values are judged: PEM private key
//    text and bearer tokens (JWTs) are refused wherever they stand.
import { SecretInStateError } from './errors.js';

// Keys are compared lower-cased with "-", "_" and "." removed: "client_secret", "clientSecret" and
// "Client-Secret" are the same key.
const SECRET_KEY_PARTS = ['password', 'passwd', 'passphrase', 'privatekey', 'secret'];
// "token" and friends only as a suffix, so e.g. "tokenEndpoint" (a URL) stays allowed.
const SECRET_KEY_SUFFIXES = ['token', 'apikey', 'credential', 'credentials', 'pfx'];
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
// A JSON Web Token (an access or id token): base64url header starting {"  ("eyJ"), payload and signature.
const BEARER_TOKEN = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/;

/** What the keys of a stored value are: names (settings) or data (records keyed by id, address, …). */
export type StoredJsonKind = 'settings' | 'record';

export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_.]/g, '');
  return (
    SECRET_KEY_PARTS.some((part) => normalized.includes(part)) ||
    SECRET_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix))
  );
}

function isSecretValue(value: string): boolean {
  return PRIVATE_KEY_PEM.test(value) || BEARER_TOKEN.test(value);
}

function walk(value: unknown, path: string, judgeNames: boolean, found: string[]): void {
  if (typeof value === 'string') {
    if (isSecretValue(value)) found.push(path || '(value)');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${path}[${index}]`, judgeNames, found));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (judgeNames && isSecretKey(key)) found.push(childPath);
      else walk(child, childPath, judgeNames, found);
    }
  }
}

/** Paths of everything in `value` that looks like a secret: by key name in settings, by value in both kinds. */
export function findSecrets(value: unknown, kind: StoredJsonKind): string[] {
  const found: string[] = [];
  walk(value, '', kind === 'settings', found);
  return found;
}

/** Throws SecretInStateError naming every offending path; `where` says what was being stored. */
export function assertNoSecrets(where: string, value: unknown, kind: StoredJsonKind): void {
  const found = findSecrets(value, kind);
  if (found.length > 0) throw new SecretInStateError(where, found);
}
