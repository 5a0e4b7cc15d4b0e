// Cmdlet parameters as InvokeCommand expects them (docs/reference-behaviour.md#parameter-encoding), and cmdlet
// output (PascalCase, with OData annotations) as plain camelCase records.

type ParameterValue = string | number | boolean | null | Date | readonly string[] | AddRemove | undefined;

export type CmdletParameters = Readonly<Record<string, ParameterValue>>;

/** PowerShell's `@{Add=…; Remove=…}` on a multi-valued parameter. */
export interface AddRemove {
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
}

const ADD_REMOVE = Symbol('addRemove');

/** Mark a multi-valued change as add/remove instead of a whole replacement. */
export function addRemove(change: { add?: readonly string[]; remove?: readonly string[] }): AddRemove {
  const value: AddRemove & { [ADD_REMOVE]: true } = { [ADD_REMOVE]: true, ...change };
  return value;
}

function isAddRemove(value: unknown): value is AddRemove {
  return typeof value === 'object' && value !== null && ADD_REMOVE in value;
}

/**
 * Encode parameters for the CmdletInput body: undefined values are dropped (omitted parameter),
 * dates become UTC ISO-8601, add/remove changes become `#Exchange.GenericHashTable` objects —
 * without that tag the server binds a plain object and the cmdlet fails.
 */
export function encodeParameters(parameters: CmdletParameters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined) continue;
    if (value instanceof Date) {
      out[name] = value.toISOString();
    } else if (isAddRemove(value)) {
      const table: Record<string, unknown> = { '@odata.type': '#Exchange.GenericHashTable' };
      if (value.add && value.add.length > 0) table['Add'] = [...value.add];
      if (value.remove && value.remove.length > 0) table['Remove'] = [...value.remove];
      out[name] = table;
    } else if (Array.isArray(value)) {
      out[name] = [...(value as readonly string[])];
    } else {
      out[name] = value;
    }
  }
  return out;
}

export function cmdletBody(cmdlet: string, parameters: CmdletParameters): string {
  return JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: encodeParameters(parameters) } });
}

/** `ExternalDirectoryObjectId` → `externalDirectoryObjectId`, `SMTPAddress` → `smtpAddress`. */
export function camelCase(name: string): string {
  // Leading acronyms are lowered as a block (`SMTPAddress` → `smtpAddress`), the rest is kept.
  const m = /^([A-Z]+)(?=[A-Z][a-z]|$)/.exec(name);
  if (m && m[1] && m[1].length > 1) return m[1].toLowerCase() + name.slice(m[1].length);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Strip OData annotations (`@odata.type`, `Prop@odata.type`) and camelCase the keys, one level deep. */
export function toCamelRecord(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.includes('@')) continue;
    out[camelCase(key)] = value;
  }
  return out;
}
