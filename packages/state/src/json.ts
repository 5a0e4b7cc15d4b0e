// JSON as the store holds it: options, journal data, backups and reports are written with JSON.stringify and read
// back with JSON.parse. These checks let a caller hand the store a typed value (an interface, which TypeScript does
// not take for a JsonObject) without a cast, and let the audit folder (audit-records.ts) check what it reads.
import { InvalidInputError } from './errors.js';
import type { JsonObject, JsonValue } from './types.js';

/** A JSON object's fields, not yet checked one by one. */
export type Fields = Readonly<Record<string, unknown>>;

export function isFields(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether `value` is JSON all the way down (what JSON.stringify writes and JSON.parse gives back unchanged). */
export function isJson(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  return isFields(value) && Object.values(value).every(isJson);
}

/**
 * `value` as the store will keep it: what JSON.stringify writes of it (fields that are undefined left out), read
 * back. For a typed object (options, a batch layout) handed to a JsonObject field.
 */
export function toJsonObject(value: object): JsonObject {
  const json: unknown = JSON.parse(JSON.stringify(value));
  if (!isFields(json) || !isJson(json)) throw new InvalidInputError('a JSON object was expected');
  return json;
}
