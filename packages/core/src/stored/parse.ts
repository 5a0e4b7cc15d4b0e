// JSON that comes back from the state store (options, batch layouts, reports, snapshots) is parsed by a schema, never
// cast: a document written by another version, damaged or edited by hand stops the run with STORED_DOCUMENT_INVALID
// before anything is changed, instead of failing half-way on an undefined field.
import type { z } from 'zod';
import { CoreError } from '../errors/core-error.js';

/** `value` as `schema` says, or a CoreError naming the document and every field that does not fit. */
export function parseStored<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(document)'}: ${i.message}`);
  throw new CoreError(
    'STORED_DOCUMENT_INVALID',
    `${what} in the state store is not valid (${problems.join('; ')}); nothing was changed`,
  );
}
