// The fault matrix (issue 13): for each step of an operation — a migration by either strategy (recreate, convert), a
// restore (of either), a hybrid address update, hybrid mail flow enabled after the fact — and each dependency that step
// touches, inject a transient failure, a permanent failure, and a SIGKILL right before and right after the call; then
// let the operation end the way an operator ends it (resume, restore again, enable again) and compare the whole
// directory and the whole tenant with the state a safe run must end in, stated per cell (expectedEnd):
//   - "as-uninterrupted": what the same operation leaves when nothing goes wrong (same status, no difference);
//   - "rolled-back": exactly the state before it, status rolled_back, with findings that say why.
// Exchange faults are cloud-sim knobs (CloudSim.injectFault: the service answers with the error), token faults too
// (injectTokenFault, on a fresh connection whose first call needs a token), and Graph faults of cells with a route
// (injectGraphFault); directory, other Graph, sync-trigger and state-store faults are hooks at the engine's dependency boundary (faults.ts: the real dependency answers every call
// that is not faulted); kills run the operation in a child process (child-migrate.ts) that kills itself at the call.
import { SyncTriggerError, type EngineDeps } from '@dlmigrate/core';
import { GraphRequestError } from '@dlmigrate/exo';
import { connectionLost, insufficientRights } from './faults.js';
import type { OperationKind } from './fault-operations.js';
import { viewDiff } from './views.js';

type Dependency = 'ldap' | 'exchange' | 'graph' | 'token' | 'sync' | 'state';
export type FaultKind = 'transient' | 'permanent' | 'kill-before' | 'kill-after';
export type EndState = 'as-uninterrupted' | 'rolled-back' | 'needs-action';
export type Target = 'ad' | 'exchange' | 'graph' | 'sync' | 'state';

/** One call a step makes to one dependency: where the fault goes. */
interface Touch {
  readonly step: string;
  readonly dependency: Dependency;
  readonly target: Target;
  /** The client method (hooks and kills); for the token endpoint, the call whose token request fails. */
  readonly method: string;
  /** For Exchange: the cmdlet behind `method` (the simulated tenant fails it). */
  readonly cmdlet?: string;
  /**
   * The step never rolls back: it is at or after a migration's point of no return, or in an operation that only rolls
   * forward (restore, address update, enable hybrid). A permanent failure there is finished by continuing.
   */
  readonly rollsForward?: boolean;
  /** The kinds of fault this touch gets (default: all four). */
  readonly kinds?: readonly FaultKind[];
  /**
   * A step past the point of no return that reports each object it could not change as a needs-action finding and
   * goes on: a permanent failure ends "needs-action" (see expectedEnd).
   */
  readonly permanentEnd?: 'needs-action' | 'as-uninterrupted';
  /**
   * For the state store's appendJournal: the journal entry of the step whose write fails — the one written before the
   * step runs ("started") or the one recording it ran ("completed"). Other entries are written as usual.
   */
  readonly journal?: 'started' | 'completed';
  /**
   * The change the step makes (a call on a dependency, a dotted path for a method of a part): with its "started" entry
   * not written — or, for a step that journals each write as a backup first, that backup — it must not be made (every
   * write to AD or the tenant is journaled before it is made, docs/architecture.md). Counted over the whole run for a
   * journal entry's fault, else while the step runs (an undo may make the same call, journaled as its own).
   */
  readonly change?: { readonly target: 'ad' | 'exchange' | 'graph'; readonly method: string };
  /**
   * For Graph: the route the simulated tenant fails (CloudSim.injectGraphFault, "METHOD /path/{id}"), so the fault
   * goes over the wire through the Graph client's own pacing and retries; absent = a hook at the client boundary.
   */
  readonly route?: string;
  /**
   * For the token endpoint: the request that fails is the one for Graph, made by a connection that already holds its
   * Exchange token (the second token request of a run); absent = the connection's first request.
   */
  readonly tokenFor?: 'graph';
  /**
   * For the token endpoint: the request is a refresh — the connection holds a token for the resource that has run out
   * (the tenant issues tokens of a lifetime within msal-node's renewal offset, REFRESH_TOKEN_LIFETIME_SECONDS), and the
   * fault or kill is at the first token request of `step`. Absent = the connection's first request (no cached token).
   */
  readonly refresh?: true;
}

/**
 * The token lifetime of the tenant in the refresh cells (cloud-sim's tokenLifetimeSeconds): below msal-node's renewal
 * offset (300 s), so a token the connection holds counts as run out at its next call and is requested again — a long
 * run's hour ending mid-step without waiting an hour. The APIs still accept each token for the whole cell.
 */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 240;

export interface Cell extends Touch {
  readonly operation: OperationKind;
  readonly kind: FaultKind;
}

export interface KillAt {
  readonly step: string;
  readonly target: Target;
  readonly method: string;
  readonly when: 'before' | 'after';
}

const ex = (step: string, method: string, cmdlet: string, rollsForward?: boolean): Touch => ({
  step,
  dependency: 'exchange',
  target: 'exchange',
  method,
  cmdlet,
  ...(rollsForward === true ? { rollsForward } : {}),
});
const ad = (step: string, method: string, rollsForward?: boolean): Touch => ({
  step,
  dependency: 'ldap',
  target: 'ad',
  method,
  ...(rollsForward === true ? { rollsForward } : {}),
});

/** A Graph call failed by the simulated tenant on `route` (Touch.route). */
const gr = (step: string, method: string, route: string): Touch => ({
  step,
  dependency: 'graph',
  target: 'graph',
  method,
  route,
});

/** A fault on the state store's journal append of one entry of `step` (Touch.journal). */
const journaled = (step: string, entry: 'started' | 'completed', change?: Touch['change']): Touch => ({
  step,
  dependency: 'state',
  target: 'state',
  method: 'appendJournal',
  journal: entry,
  // The entry before the step failing for good fails the run itself (the failure cannot be recorded, so nothing is
  // undone): it stays open and `resume` finishes it once the store works. The entry after the step failing for good is
  // the step's failure: the step's change is undone like any other (a clean rollback).
  ...(entry === 'started' ? { permanentEnd: 'as-uninterrupted' as const } : {}),
  ...(change === undefined ? {} : { change }),
});

/**
 * What each step touches (packages/core/src/steps/*.ts, restore/steps.ts, hybrid/*.ts), one representative call per
 * dependency (so far the recreate strategy). The world holds cloud-only dependants of the group (cloud-dependants.ts),
 * so rewire-cloud has work.
 */
const TOUCHES: Readonly<Record<OperationKind, readonly Touch[]>> = {
  recreate: [
    ad('capture', 'readGroup'),
    ex('capture', 'getDistributionGroup', 'Get-DistributionGroup'),
    { step: 'capture', dependency: 'graph', target: 'graph', method: 'getGroup' },
    { step: 'capture', dependency: 'state', target: 'state', method: 'putBackup' },
    // A token is fetched at a connection's first call and then cached for its hour (packages/exo/src/auth): the
    // token endpoint is touched at capture. A kill before or after that request is a kill at capture's first call.
    {
      step: 'capture',
      dependency: 'token',
      target: 'exchange',
      method: 'token',
      kinds: ['transient', 'permanent'],
    },
    // A token request beyond the first: Graph's own token, asked for at capture's first Graph call. The SDK wraps
    // what its token provider throws; the engine must still see the token endpoint's answer (exo graph-client.ts).
    {
      step: 'capture',
      dependency: 'token',
      target: 'graph',
      method: 'token',
      tokenFor: 'graph',
      kinds: ['transient', 'permanent'],
    },
    // validate touches only the state store: it reads back what capture stored (the unresolved dependants, the address
    // holders, the references). A read failing for good is a failure before anything was changed — rolled back, with
    // nothing to undo; busy once, retried. Killed around a read, nothing was changed either: the kills at capture's
    // calls and parity-check's journal already cover a resume that starts over from the stored snapshot.
    {
      step: 'validate',
      dependency: 'state',
      target: 'state',
      method: 'getBackup',
      kinds: ['transient', 'permanent'],
    },
    ex('stage', 'newDistributionGroup', 'New-DistributionGroup'),
    ad('park', 'moveObject'),
    { step: 'await-deletion', dependency: 'sync', target: 'sync', method: 'trigger' },
    // The deletion is confirmed by Graph (and Exchange) no longer showing the synced group: Graph failing while the
    // group is parked (a kill right after Graph answered "gone" is covered by the sync trigger's kills and take-over's).
    { ...gr('await-deletion', 'getGroup', 'GET /groups/{id}'), kinds: ['transient', 'permanent'] },
    ex('take-over', 'setDistributionGroup', 'Set-DistributionGroup'),
    // The token running out mid-run: the first call after await-deletion's wait (up to an hour, as long as a token
    // lives) needs a new one. take-over's first request is a refresh (Touch.refresh); before the point of no return,
    // so the token endpoint down for good rolls back what stage and park made, as at capture. A kill right before the
    // refresh leaves nothing half-made; right after it, the new token dies with the process and the resume's fresh
    // connection asks for its own.
    {
      step: 'take-over',
      dependency: 'token',
      target: 'exchange',
      method: 'token',
      refresh: true,
    },
    // rewire-config (right after take-over, before the point of no return) points the Exchange configuration that
    // named the synced group at the new one; the world of a recreate has a room whose booking policy names the group
    // by its LegacyExchangeDN (fault-cell.ts bookingPolicyNamingTheGroup), so the step writes Set-CalendarProcessing.
    // What Exchange refuses for good is a needs-action finding with the command to run and the migration goes on
    // (steps/rewire-config.ts): one booking list is not worth undoing a migration whose mail outage has already
    // happened, so a permanent failure ends "needs-action" — the room's policy still names the deleted group. Killed
    // before the write, the value it replaces is journaled (write-once) and the resume writes it; killed after, the
    // resume finds the policy already naming the new group.
    {
      ...ex('rewire-config', 'configuration.setCalendarProcessing', 'Set-CalendarProcessing'),
      permanentEnd: 'needs-action',
    },
    // Each rewire-config write is journaled first (a write-once backup of the value it replaces, which its undo puts
    // back): with the store failing that backup, the write must not be made (Touch.change, counted while the step
    // runs), and the step fails like any before the point of no return — rolled back. Busy once: retried, as
    // uninterrupted. The kills around the write are rewire-config × exchange's.
    {
      step: 'rewire-config',
      dependency: 'state',
      target: 'state',
      method: 'putBackup',
      change: { target: 'exchange', method: 'configuration.setCalendarProcessing' },
      kinds: ['transient', 'permanent'],
    },
    ad('dispose', 'renameObject'),
    ad('routing-contact', 'createRoutingContact', true),
    // A dependant that cannot be rewired for good is reported, not retried (packages/core/src/steps/rewire-*.ts).
    { ...ad('rewire-onprem', 'addLinkValue', true), permanentEnd: 'needs-action' },
    {
      ...ex('rewire-cloud', 'addMember', 'Add-DistributionGroupMember', true),
      permanentEnd: 'needs-action',
    },
    // final-sync (after the point of no return: it rolls forward) triggers one directory sync so the synced copies of
    // the on-prem dependants rewire-onprem changed (parents, restrictions) name the routing contact before verify
    // reads them. The trigger busy once, refused for good, or the process killed right before or after it: the
    // migration stays open and its resume triggers again (another cycle changes nothing the first did not) — the end
    // is the uninterrupted run's. Convert runs the same step at the same place (after its point of no return): its
    // cells would test the same code twice.
    { step: 'final-sync', dependency: 'sync', target: 'sync', method: 'trigger', rollsForward: true },
    // verify only reads: any fault there, once the operator continues, must leave the finished migration unchanged.
    ex('verify', 'getDistributionGroupMemberRecords', 'Get-DistributionGroupMember', true),
    // report (the last step, after the point of no return) writes the run's report into the state store, and with it
    // the status a later `status` shows. Failing once, for good, or killed right before or after the write: the
    // migration stays open and its resume writes the report again — the end is the uninterrupted run's, status and all.
    {
      step: 'report',
      dependency: 'state',
      target: 'state',
      method: 'putReport',
      rollsForward: true,
    },
    // The journal write before stage's New-DistributionGroup fails: no cloud DL may be made (a permanent failure stops
    // the run before the step, with the migration open: `resume` finishes it).
    {
      ...journaled('stage', 'started', { target: 'exchange', method: 'newDistributionGroup' }),
      kinds: ['transient', 'permanent'],
    },
  ],
  convert: [
    // parity-check touches no dependency: it compares the snapshot capture stored and validate already read (cached
    // per store, engine/snapshot.ts). Its kills are at the journal: killed before its completion is journaled (the
    // first append while it runs), a fresh process runs it again from the snapshot read back from the store; killed
    // after, the resume goes on with convert.
    {
      step: 'parity-check',
      dependency: 'state',
      target: 'state',
      method: 'appendJournal',
      kinds: ['kill-before', 'kill-after'],
    },
    { step: 'convert', dependency: 'graph', target: 'graph', method: 'setOnPremisesSyncBehavior' },
    // The same call failing on the wire: a 503 the Graph client itself retries (exo graph/rate-handler.ts).
    {
      ...gr('convert', 'setOnPremisesSyncBehavior', 'PATCH /groups/{id}/onPremisesSyncBehavior'),
      kinds: ['transient'],
    },
    // The state store failing for convert: the entry before the conversion (no conversion may be made), and the one
    // after it (the tenant changed, the journal cannot say so: the step counts as failed and is undone).
    {
      ...journaled('convert', 'started', { target: 'graph', method: 'setOnPremisesSyncBehavior' }),
      kinds: ['transient', 'permanent'],
    },
    { ...journaled('convert', 'completed'), kinds: ['permanent'] },
    ex('convert', 'getDistributionGroup', 'Get-DistributionGroup'),
    ad('dispose', 'mailDisableGroup'),
    ad('hybrid-mail-flow', 'createHybridDynamicGroup', true),
  ],
  restore: [
    ad('restore-remove-hybrid', 'deleteObject', true),
    ex('restore-remove-cloud', 'removeDistributionGroup', 'Remove-DistributionGroup', true),
    {
      step: 'restore-remove-cloud',
      dependency: 'state',
      target: 'state',
      method: 'putBackup',
      rollsForward: true,
    },
    ad('restore-group', 'renameObject', true),
    { step: 'restore-resync', dependency: 'sync', target: 'sync', method: 'trigger', rollsForward: true },
    {
      ...ex('restore-rewire-cloud', 'addMember', 'Add-DistributionGroupMember', true),
      permanentEnd: 'needs-action',
    },
  ],
  'restore-convert': [
    ad('restore-group', 'modifyAttributes', true),
    {
      step: 'restore-hand-back',
      dependency: 'graph',
      target: 'graph',
      method: 'setOnPremisesSyncBehavior',
      rollsForward: true,
    },
  ],
  'update-address': [
    ex('update-address-cloud', 'setDistributionGroup', 'Set-DistributionGroup', true),
    ad('update-address-onprem', 'modifyAttributes', true),
  ],
  'enable-hybrid': [
    ex('enable-hybrid', 'getDistributionGroup', 'Get-DistributionGroup', true),
    ad('enable-hybrid', 'createRoutingContact', true),
    ad('enable-hybrid', 'createHybridDynamicGroup', true),
  ],
};

const FAULT_KINDS: readonly FaultKind[] = ['transient', 'permanent', 'kill-before', 'kill-after'];

/** Every cell of the matrix, operation by operation, touch by touch, kind by kind. */
export function allCells(kinds: readonly FaultKind[] = FAULT_KINDS): Cell[] {
  return (Object.entries(TOUCHES) as [OperationKind, readonly Touch[]][]).flatMap(([operation, touches]) =>
    touches.flatMap((touch) =>
      (touch.kinds ?? FAULT_KINDS)
        .filter((k) => kinds.includes(k))
        .map((kind) => ({ ...touch, operation, kind })),
    ),
  );
}

export function cellName(cell: Cell): string {
  const method =
    cell.journal !== undefined
      ? `${cell.method} ${cell.journal}`
      : cell.tokenFor !== undefined
        ? `${cell.method} for ${cell.tokenFor}`
        : cell.refresh === true
          ? `${cell.method} refresh`
          : cell.route !== undefined
            ? `${cell.method}, ${cell.route}`
            : cell.method;
  return `${cell.operation}: ${cell.step} × ${cell.dependency} (${method}) × ${cell.kind}`;
}

/**
 * The end state each cell must reach. A permanent failure of a step that may roll back rolls back; a permanent failure
 * of a rewire step ends "needs-action": status completed_with_warnings (a restore: restored), a needs-action finding
 * for each dependant left as it was, and no difference to the uninterrupted run but those dependants' links. Everything else ends as an
 * uninterrupted run (after continuing it). A transient failure is retried by the engine (core util/retry.ts), so it
 * never rolls back: a blip slows the run down, it does not undo it.
 */
function expectedEnd(cell: Cell): readonly EndState[] {
  if (cell.kind !== 'permanent') return ['as-uninterrupted'];
  if (cell.permanentEnd !== undefined) return [cell.permanentEnd];
  return cell.rollsForward === true ? ['as-uninterrupted'] : ['rolled-back'];
}

/** Both views, with ids a new or re-created object legitimately gets anew replaced (GUID-shaped values). */
export interface Views {
  readonly directory: Record<string, unknown>;
  readonly tenant: Record<string, unknown>;
}

export function differences(a: Views, b: Views): [string, string, unknown, unknown][] {
  return [...viewDiff(a.directory, b.directory), ...viewDiff(a.tenant, b.tenant)];
}

export interface CellResult {
  readonly cell: Cell;
  /** Did the fault (or kill) happen at all? A cell whose call was never made proves nothing. */
  readonly fired: boolean;
  readonly end: EndState | 'wrong';
  readonly status: string;
  readonly resumes: number;
  /** Where the end state differs from the closest allowed one (empty when the cell passed). */
  readonly diff: readonly [string, string, unknown, unknown][];
}

export function passed(result: CellResult): boolean {
  return result.fired && result.end !== 'wrong' && expectedEnd(result.cell).includes(result.end);
}

export function transientError(target: Target): () => Error {
  switch (target) {
    case 'ad':
      return connectionLost;
    case 'graph':
      return () => new GraphRequestError('Service Unavailable', 503, 'serviceNotAvailable', undefined);
    case 'sync':
      // What the http trigger throws for a busy endpoint (core sync/trigger.ts).
      return () => new SyncTriggerError('sync endpoint answered 503', { transient: true });
    default:
      return () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  }
}

export function permanentError(target: Target): () => Error {
  switch (target) {
    case 'ad':
      return insufficientRights;
    case 'graph':
      return () =>
        new GraphRequestError('Insufficient privileges', 403, 'Authorization_RequestDenied', undefined);
    case 'sync':
      return () => new Error('the sync server refused the request (HTTP 403)');
    default:
      return () =>
        Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
  }
}

export const exchangeFault = (cmdlet: string, kind: 'transient' | 'permanent') =>
  kind === 'transient'
    ? {
        cmdlet,
        errorId: 'Ex5A1B2C',
        exceptionType: 'Microsoft.Exchange.Data.Storage.TransientException',
        message: 'The server is busy. Try again later.',
        status: 503,
        count: 1,
      }
    : {
        cmdlet,
        errorId: 'Ex9F0001',
        exceptionType: 'Microsoft.Exchange.Management.Tasks.RecipientTaskException',
        message: 'An unexpected error occurred.',
        status: 400,
        count: 1_000_000,
      };

/** Graph failing a route: busy once (503, as Graph's throttling guidance answers an overloaded service), or denied until cleared. */
export const graphFault = (route: string, kind: 'transient' | 'permanent') =>
  kind === 'transient'
    ? { route, status: 503, count: 1, retryAfterSeconds: 1 }
    : { route, status: 403, count: 1_000_000 };

/** The token endpoint unavailable (Entra's AADSTS90033 temporarily_unavailable): once, or until cleared. */
export const tokenFault = (kind: 'transient' | 'permanent') => ({
  status: 503,
  count: kind === 'transient' ? 1 : 1_000_000,
  // Entra says when to come back; MSAL refuses the request locally until then (60 s when nothing is said).
  retryAfterSeconds: 1,
});

/**
 * `real` with the method at `path` (a dotted path for a method of a part, e.g. "configuration.setCalendarProcessing")
 * killing the process right before or after it runs while `hit()` says so.
 */
function killingAt(real: object, path: readonly string[], when: KillAt['when'], hit: () => boolean): object {
  const [name, ...rest] = path;
  return new Proxy(real, {
    get(inner, key) {
      const value = Reflect.get(inner, key, inner) as unknown;
      if (key === name && rest.length > 0 && typeof value === 'object' && value !== null)
        return killingAt(value, rest, when, hit);
      if (key !== name || rest.length > 0 || typeof value !== 'function') {
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(inner) : value;
      }
      return async (...args: unknown[]) => {
        const now = hit();
        if (now && when === 'before') process.kill(process.pid, 'SIGKILL');
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
        if (now && when === 'after') process.kill(process.pid, 'SIGKILL');
        return result;
      };
    },
  });
}

/** The dependency an engine sees in a child process that kills itself right before or after the call. */
export function killingDeps(deps: EngineDeps, at: KillAt, step: () => string): EngineDeps {
  const wrapped = killingAt(
    deps[at.target] as object,
    at.method.split('.'),
    at.when,
    () => step() === at.step,
  );
  return { ...deps, [at.target]: wrapped };
}

/** A connection's token source, as far as a kill at its requests needs it (exo AppTokenSource). */
interface Tokens {
  token(resource: string): Promise<string>;
  readonly tokenEndpointRequests: number;
}

/**
 * Kills the process right before the first token request made while `at.step` runs, or right after the first one that
 * reached the token endpoint (the refresh cells: every request for a token goes there, REFRESH_TOKEN_LIFETIME_SECONDS).
 */
export function killAtTokenRequest(tokens: Tokens, at: KillAt, step: () => string): void {
  const real = tokens.token.bind(tokens);
  tokens.token = async (resource: string) => {
    const hit = step() === at.step;
    if (hit && at.when === 'before') process.kill(process.pid, 'SIGKILL');
    const requests = tokens.tokenEndpointRequests;
    const token = await real(resource);
    if (hit && at.when === 'after' && tokens.tokenEndpointRequests > requests)
      process.kill(process.pid, 'SIGKILL');
    return token;
  };
}

/** One line per cell and the totals, as the matrix prints them. */
export function matrixSummary(results: readonly CellResult[], title = 'fault matrix'): string {
  const lines = results.map(
    (r) =>
      `${passed(r) ? 'pass' : 'FAIL'}  ${cellName(r.cell)}: ${r.fired ? r.end : 'fault never reached'} (status ${r.status}, ${r.resumes} resume${r.resumes === 1 ? '' : 's'})`,
  );
  lines.push(`${title}: ${results.length} cells run, ${results.filter(passed).length} passed`);
  return lines.join('\n');
}
