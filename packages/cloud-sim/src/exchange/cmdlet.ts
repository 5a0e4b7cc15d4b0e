// What a cmdlet implementation is and what it gets to work with.
import type { TenantState } from '../state.js';
import type { RecipientDirectory } from './directory.js';
import type { BoundParameters, ParamSpec } from './params.js';
import type { OutputObject } from './render.js';

export interface CmdletContext {
  tenant: TenantState;
  dir: RecipientDirectory;
  /** Collected into the response's "@adminapi.warnings". */
  warnings: string[];
  cmdlet: string;
}

export interface CmdletDefinition {
  name: string;
  /** Get-* cmdlets; Global Reader may run only these. */
  readOnly: boolean;
  params: ParamSpec;
  /** Parameters without which binding fails (PowerShell's mandatory parameters). */
  mandatory?: string[];
  /** Returns the full result list (InvokeCommand pages it) or nothing. */
  run(ctx: CmdletContext, p: BoundParameters): OutputObject[] | void;
}

export function defineCmdlet(def: CmdletDefinition): CmdletDefinition {
  return def;
}
