// What a cmdlet implementation is and what it gets to work with.
import type { ExchangeManagementRole, TenantState } from '../state.js';
import type { RecipientDirectory } from './directory.js';
import type { BoundParameters, ParamSpec } from './params.js';
import type { OutputObject } from './render.js';

export interface CmdletContext {
  tenant: TenantState;
  dir: RecipientDirectory;
  /** Collected into the response's "@adminapi.warnings". */
  warnings: string[];
  cmdlet: string;
  /** Server time the work takes: the gateway answers only after it (TenantBehaviour.memberUpdateMs). */
  serverTimeMs?: number;
  /** The work ran past the REST cut-off: the gateway answers 504 after serverTimeMs (the work done stays done). */
  cutOff?: boolean;
}

export interface CmdletDefinition {
  name: string;
  /** Get-* cmdlets; Global Reader may run only these. */
  readOnly: boolean;
  /** A management role no role group has by default: the cmdlet exists only for apps given it (AppRegistration.exchangeRoles). */
  role?: ExchangeManagementRole;
  params: ParamSpec;
  /** Parameters without which binding fails (PowerShell's mandatory parameters). */
  mandatory?: string[];
  /** Returns the full result list (InvokeCommand pages it) or nothing. */
  run(ctx: CmdletContext, p: BoundParameters): CmdletOutput | void;
}

/**
 * Results rendered only for the page that is returned: a paged Get-* re-runs the query for every
 * page, and rendering 10,000 objects to return 1,000 of them is wasted work.
 */
export interface LazyOutput<T> {
  items: T[];
  render(item: T): OutputObject;
}

// `unknown`: the items are only ever handed back to their own render (a method, so it accepts its items' type).
export type CmdletOutput = OutputObject[] | LazyOutput<unknown>;

export function lazy<T>(items: T[], render: (item: T) => OutputObject): CmdletOutput {
  return { items, render };
}

export function defineCmdlet(def: CmdletDefinition): CmdletDefinition {
  return def;
}
