// Parameter binding for InvokeCommand's CmdletInput.Parameters, with PowerShell's rules:
// names are case-insensitive, unknown names fail, multi-valued parameters take either a full
// list (overwrite) or an `#Exchange.GenericHashTable` with Add/Remove.
import { CmdletError, cmdletErrors } from './errors.js';

export type ParamKind =
  | { kind: 'string'; maxLength?: number }
  | { kind: 'bool' }
  | { kind: 'int' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'resultSize' }
  | { kind: 'multi'; maxValues?: number }
  | { kind: 'list' };

export type ParamSpec = Record<string, ParamKind>;

/** A multi-valued parameter: either a replacement list or add/remove sets. */
export interface MultiValue {
  replace?: string[];
  add: string[];
  remove: string[];
}

export type BoundValue = string | boolean | number | MultiValue | string[] | null;

/** Accepted on every cmdlet (PowerShell common parameters and -Confirm). */
const commonParameters: ParamSpec = {
  Confirm: { kind: 'bool' },
  ErrorAction: { kind: 'string' },
  WarningAction: { kind: 'string' },
  Verbose: { kind: 'bool' },
  Debug: { kind: 'bool' },
};

export class BoundParameters {
  constructor(private readonly values: Map<string, BoundValue>) {}

  /** The same parameters minus some names (e.g. New-* hands the rest to the shared setters). */
  without(names: string[]): BoundParameters {
    return new BoundParameters(new Map([...this.values].filter(([n]) => !names.includes(n))));
  }
  has(name: string): boolean {
    return this.values.has(name);
  }
  names(): string[] {
    return [...this.values.keys()];
  }
  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : v === null ? undefined : undefined;
  }
  /** A string that may be explicitly cleared with null (returns null then). */
  nullableString(name: string): string | null | undefined {
    const v = this.values.get(name);
    if (v === null) return null;
    return typeof v === 'string' ? v : undefined;
  }
  bool(name: string): boolean | undefined {
    const v = this.values.get(name);
    return typeof v === 'boolean' ? v : undefined;
  }
  number(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }
  multi(name: string): MultiValue | undefined {
    const v = this.values.get(name);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  }
  list(name: string): string[] | undefined {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : undefined;
  }
}

function asStringList(parameter: string, value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw cmdletErrors.invalidArgument(parameter, 'Expected a string or an array of strings.');
}

function bindMulti(parameter: string, value: unknown, maxValues: number | undefined): MultiValue {
  let result: MultiValue;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    if (obj['@odata.type'] !== '#Exchange.GenericHashTable') {
      // Without the tag the gateway binds a raw JObject, which no Exchange parameter accepts.
      throw cmdletErrors.invalidArgument(
        parameter,
        `Cannot convert the "Newtonsoft.Json.Linq.JObject" value of type "Newtonsoft.Json.Linq.JObject" to type "Microsoft.Exchange.Data.MultiValuedProperty". Tag add/remove values with "@odata.type": "#Exchange.GenericHashTable".`,
      );
    }
    result = { add: [], remove: [] };
    for (const [key, v] of Object.entries(obj)) {
      if (key === '@odata.type') continue;
      const k = key.toLowerCase();
      if (k === 'add') result.add = asStringList(parameter, v);
      else if (k === 'remove') result.remove = asStringList(parameter, v);
      else
        throw cmdletErrors.invalidArgument(
          parameter,
          `The hash table key "${key}" isn't valid; use Add or Remove.`,
        );
    }
  } else {
    result = { replace: asStringList(parameter, value), add: [], remove: [] };
  }
  const count = (result.replace?.length ?? 0) + result.add.length + result.remove.length;
  if (maxValues !== undefined && count > maxValues) throw cmdletErrors.tooManyValues(parameter, maxValues);
  return result;
}

function bindOne(parameter: string, spec: ParamKind, value: unknown): BoundValue {
  switch (spec.kind) {
    case 'string': {
      if (value === null) return null;
      if (typeof value !== 'string') {
        if (typeof value === 'number' || typeof value === 'boolean') return String(value);
        throw cmdletErrors.invalidArgument(parameter, 'Expected a string.');
      }
      if (spec.maxLength !== undefined && value.length > spec.maxLength)
        throw cmdletErrors.tooLong(parameter, spec.maxLength);
      return value;
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'True' || value === '$true') return true;
      if (value === 'false' || value === 'False' || value === '$false') return false;
      throw cmdletErrors.invalidArgument(
        parameter,
        `Cannot convert value "${String(value)}" to type "System.Boolean".`,
      );
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
      throw cmdletErrors.invalidArgument(
        parameter,
        `Cannot convert value "${String(value)}" to type "System.Int32".`,
      );
    case 'enum': {
      const match = spec.values.find(
        (v) => typeof value === 'string' && v.toLowerCase() === value.toLowerCase(),
      );
      if (!match)
        throw cmdletErrors.invalidArgument(
          parameter,
          `Cannot convert value "${String(value)}" to an enumeration. Specify one of the following enumerator names and try again: ${spec.values.join(', ')}.`,
        );
      return match;
    }
    case 'resultSize':
      if (typeof value === 'string' && value.toLowerCase() === 'unlimited') return Number.POSITIVE_INFINITY;
      if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
      if (typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0) return Number(value);
      throw cmdletErrors.invalidArgument(
        'ResultSize',
        `Cannot convert value "${String(value)}" to type "Unlimited".`,
      );
    case 'multi':
      return bindMulti(parameter, value, spec.maxValues);
    case 'list':
      return asStringList(parameter, value);
  }
}

/** Binds raw JSON parameters against a cmdlet's spec; throws the PowerShell binding errors. */
export function bindParameters(spec: ParamSpec, raw: Record<string, unknown>): BoundParameters {
  const byLower = new Map<string, [string, ParamKind]>();
  for (const [name, kind] of Object.entries({ ...commonParameters, ...spec }))
    byLower.set(name.toLowerCase(), [name, kind]);
  const values = new Map<string, BoundValue>();
  for (const [key, value] of Object.entries(raw)) {
    // "<Param>@odata.type" annotations describe a sibling parameter's type; they are not parameters.
    if (key.includes('@odata.')) continue;
    const entry = byLower.get(key.toLowerCase());
    if (!entry) throw cmdletErrors.unknownParameter(key);
    const [name, kind] = entry;
    try {
      values.set(name, bindOne(name, kind, value));
    } catch (err) {
      if (err instanceof CmdletError) throw err;
      throw cmdletErrors.invalidArgument(name, String(err));
    }
  }
  return new BoundParameters(values);
}

/** Applies a MultiValue to a current list (case-insensitive matching, order kept). */
export function applyMulti(
  current: string[],
  change: MultiValue,
  same: (a: string, b: string) => boolean,
): string[] {
  let next = change.replace ? [...change.replace] : [...current];
  for (const a of change.add) if (!next.some((n) => same(n, a))) next.push(a);
  next = next.filter((n) => !change.remove.some((r) => same(n, r)));
  return next;
}
