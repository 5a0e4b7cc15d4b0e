// The fault matrix (issue 13): for each step of a migration and each dependency that step touches, inject a transient
// failure, a permanent failure, and a SIGKILL right before and right after the call — then let the run end (resume
// where it stopped) and compare the whole directory and the whole tenant with one of the two states a safe run can
// end in: what an uninterrupted run leaves ("as-uninterrupted"), or exactly the state before it ("rolled-back", with
// findings that say why). Exchange faults are cloud-sim knobs (CloudSim.injectFault: the service answers with the
// error); directory, Graph, sync-trigger and state-store faults are test hooks at the engine's dependency boundary
// (faults.ts: the real dependency answers every call that is not faulted); kills run the migration in a child process
// (child-migrate.ts) that kills itself at the call.
import type { EngineDeps, MigrationOutcome } from '@dlmigrate/core';
import { MigrationEngine, SyncTriggerError } from '@dlmigrate/core';
import { GraphRequestError } from '@dlmigrate/exo';
import { runChildUntilKilled } from './child.js';
import { connectionLost, faultHook, insufficientRights, type FaultHook } from './faults.js';
import { fullDirectoryView, tenantView, viewDiff } from './views.js';
import type { World } from './world.js';

type Dependency = 'ldap' | 'exchange' | 'graph' | 'sync' | 'state';
export type FaultKind = 'transient' | 'permanent' | 'kill-before' | 'kill-after';
type EndState = 'as-uninterrupted' | 'rolled-back';
type Target = 'ad' | 'exchange' | 'graph' | 'sync' | 'state';

/** One call a step makes to one dependency: where the fault goes. */
export interface Touch {
  readonly step: string;
  readonly dependency: Dependency;
  readonly target: Target;
  /** The client method (hooks and kills). */
  readonly method: string;
  /** For Exchange: the cmdlet behind `method` (the simulated tenant fails it). */
  readonly cmdlet?: string;
  /** Steps at or after the point of no return never roll back: a permanent failure there is finished by resume. */
  readonly pastPointOfNoReturn?: boolean;
}

export interface Cell extends Touch {
  readonly kind: FaultKind;
}

export interface KillAt {
  readonly step: string;
  readonly target: Target;
  readonly method: string;
  readonly when: 'before' | 'after';
}

/**
 * What each step of a recreate touches (packages/core/src/steps/*.ts), one representative call per dependency. Not
 * yet in the matrix: rewire-cloud (needs a world with cloud-only dependants), rewire-onprem, the token endpoint
 * (CloudSim.injectTokenFault; a cached token hides it), Graph as a cloud-sim knob, and convert, restore, hybrid
 * enable and update-address.
 */
export const RECREATE_TOUCHES: readonly Touch[] = [
  { step: 'capture', dependency: 'ldap', target: 'ad', method: 'readGroup' },
  {
    step: 'capture',
    dependency: 'exchange',
    target: 'exchange',
    method: 'getDistributionGroup',
    cmdlet: 'Get-DistributionGroup',
  },
  { step: 'capture', dependency: 'graph', target: 'graph', method: 'getGroup' },
  { step: 'capture', dependency: 'state', target: 'state', method: 'putBackup' },
  {
    step: 'stage',
    dependency: 'exchange',
    target: 'exchange',
    method: 'newDistributionGroup',
    cmdlet: 'New-DistributionGroup',
  },
  { step: 'park', dependency: 'ldap', target: 'ad', method: 'moveObject' },
  { step: 'await-deletion', dependency: 'sync', target: 'sync', method: 'trigger' },
  {
    step: 'take-over',
    dependency: 'exchange',
    target: 'exchange',
    method: 'setDistributionGroup',
    cmdlet: 'Set-DistributionGroup',
  },
  { step: 'dispose', dependency: 'ldap', target: 'ad', method: 'renameObject' },
  {
    step: 'routing-contact',
    dependency: 'ldap',
    target: 'ad',
    method: 'createRoutingContact',
    pastPointOfNoReturn: true,
  },
];

const FAULT_KINDS: readonly FaultKind[] = ['transient', 'permanent', 'kill-before', 'kill-after'];

export function cellsOf(touches: readonly Touch[], kinds: readonly FaultKind[] = FAULT_KINDS): Cell[] {
  return touches.flatMap((touch) => kinds.map((kind) => ({ ...touch, kind })));
}

export function cellName(cell: Cell): string {
  return `${cell.step} × ${cell.dependency} (${cell.method}) × ${cell.kind}`;
}

/**
 * The end state each cell must reach. A permanent failure before the point of no return rolls back; everything else
 * ends as an uninterrupted run (after resume). A transient failure is retried by the engine (core util/retry.ts), so
 * it never rolls back: a blip slows the run down, it does not undo it.
 */
function expectedEnd(cell: Cell): readonly EndState[] {
  switch (cell.kind) {
    case 'permanent':
      return cell.pastPointOfNoReturn === true ? ['as-uninterrupted'] : ['rolled-back'];
    default:
      return ['as-uninterrupted'];
  }
}

/** Both views, with ids a new or re-created object legitimately gets anew replaced (GUID-shaped values). */
export interface Views {
  readonly directory: Record<string, unknown>;
  readonly tenant: Record<string, unknown>;
}

// A GUID with or without dashes (a new recipient's legacyExchangeDN carries one as 32 hex digits).
const GUID = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/gi;
const withoutIds = (view: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(JSON.stringify(view).replace(GUID, '<id>')) as Record<string, unknown>;

export async function viewsOf(world: World): Promise<Views> {
  return { directory: withoutIds(await fullDirectoryView(world)), tenant: withoutIds(tenantView(world)) };
}

function differences(a: Views, b: Views): [string, string, unknown, unknown][] {
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

const ADDRESS = 'sales@contoso.com';

function transientError(target: Target): () => Error {
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

function permanentError(target: Target): () => Error {
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

const exchangeFault = (cmdlet: string, kind: 'transient' | 'permanent') =>
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

/** Runs one cell on a world reset to its baseline; `reference` is what an uninterrupted run leaves. */
export async function runCell(
  world: World,
  cell: Cell,
  baseline: Views,
  reference: Views,
): Promise<CellResult> {
  await world.reset();
  const nonSyncOu = world.objects['ous.nonSync']!.dn;
  let outcome: MigrationOutcome | undefined;
  let fired = false;

  if (cell.kind === 'kill-before' || cell.kind === 'kill-after') {
    try {
      await runChildUntilKilled(world, {
        address: ADDRESS,
        killAfter: '',
        killAt: {
          step: cell.step,
          target: cell.target,
          method: cell.method,
          when: cell.kind === 'kill-before' ? 'before' : 'after',
        },
      });
      fired = true;
    } catch {
      fired = false; // the child finished without reaching the call
    }
  } else {
    const hooks: Partial<Record<Target, FaultHook<object>>> = {};
    const deps = { ...world.deps } as { -readonly [K in keyof EngineDeps]: EngineDeps[K] };
    if (cell.target !== 'exchange') {
      const hook = faultHook(world.deps[cell.target] as object);
      hooks[cell.target] = hook;
      (deps as Record<string, unknown>)[cell.target] = hook.target;
    }
    let callsAtArm = 0;
    const cmdletCalls = () =>
      cell.cmdlet === undefined ? 0 : (world.sim.calls(world.tenantId).cmdlets[cell.cmdlet] ?? 0);
    const arm = () => {
      if (cell.target === 'exchange') {
        callsAtArm = cmdletCalls();
        world.sim.injectFault(
          world.tenantId,
          exchangeFault(cell.cmdlet!, cell.kind as 'transient' | 'permanent'),
        );
      } else {
        const error = cell.kind === 'transient' ? transientError(cell.target) : permanentError(cell.target);
        hooks[cell.target]!.arm(cell.method, error, cell.kind === 'transient' ? 1 : Infinity);
      }
    };
    const disarm = () => {
      if (cell.target === 'exchange') {
        if (cmdletCalls() > callsAtArm) fired = true;
        world.sim.clearFaults(world.tenantId);
      } else {
        const hook = hooks[cell.target]!;
        if ((hook.fired.get(cell.method) ?? 0) > 0) fired = true;
        hook.clear();
      }
    };
    let armed = false;
    try {
      outcome = await new MigrationEngine(deps).migrate(
        ADDRESS,
        { nonSyncOu },
        {
          onEvent: (e) => {
            if (e.step !== cell.step) return;
            if (e.event === 'started' && !armed) {
              armed = true;
              arm();
            }
            // A permanent failure is the step's own call: once the step has failed, its undo meets a working service.
            if (e.event === 'failed' || e.event === 'completed') disarm();
          },
        },
      );
    } catch {
      outcome = undefined; // the engine could not even record the outcome (a state-store fault): resume decides
    }
    if (armed) disarm();
  }

  // The run ends the way an operator would end it: resume while the migration still holds the group.
  let migrationId = outcome?.migrationId;
  if (migrationId === undefined) {
    const [open] = await world.state.listMigrations({
      group: ADDRESS,
      status: ['running', 'parked', 'undo_failed', 'planned'],
    });
    migrationId = open?.id;
  }
  let status = outcome?.status ?? (migrationId === undefined ? 'none' : 'running');
  let resumes = 0;
  while (
    migrationId !== undefined &&
    ['running', 'parked', 'undo_failed', 'planned'].includes(status) &&
    resumes < 3
  ) {
    resumes++;
    outcome = await world.engine.resume(migrationId);
    status = outcome.status;
  }

  const now = await viewsOf(world);
  const toReference = differences(reference, now);
  const toBaseline = differences(baseline, now);
  const findings = outcome?.report.findings.length ?? 0;
  const end: EndState | 'wrong' =
    status === 'completed' && toReference.length === 0
      ? 'as-uninterrupted'
      : status === 'rolled_back' && toBaseline.length === 0 && findings > 0
        ? 'rolled-back'
        : 'wrong';
  const diff = end !== 'wrong' ? [] : toReference.length <= toBaseline.length ? toReference : toBaseline;
  return { cell, fired, end, status, resumes, diff };
}

/** The dependency an engine sees in a child process that kills itself right before or after the call. */
export function killingDeps(deps: EngineDeps, at: KillAt, step: () => string): EngineDeps {
  const real = deps[at.target] as object;
  const wrapped = new Proxy(real, {
    get(inner, key) {
      const value = Reflect.get(inner, key, inner) as unknown;
      if (key !== at.method || typeof value !== 'function') {
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(inner) : value;
      }
      return async (...args: unknown[]) => {
        const hit = step() === at.step;
        if (hit && at.when === 'before') process.kill(process.pid, 'SIGKILL');
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
        if (hit && at.when === 'after') process.kill(process.pid, 'SIGKILL');
        return result;
      };
    },
  });
  return { ...deps, [at.target]: wrapped };
}

/** One line per cell and the totals, as the matrix prints them. */
export function matrixSummary(results: readonly CellResult[]): string {
  const lines = results.map(
    (r) =>
      `${passed(r) ? 'pass' : 'FAIL'}  ${cellName(r.cell)}: ${r.fired ? r.end : 'fault never reached'} (status ${r.status}, ${r.resumes} resume${r.resumes === 1 ? '' : 's'})`,
  );
  const ok = results.filter(passed).length;
  const rolledBackTransients = results.filter(
    (r) => r.cell.kind === 'transient' && r.end === 'rolled-back',
  ).length;
  lines.push(
    `fault matrix: ${results.length} cells run, ${ok} passed` +
      (rolledBackTransients > 0
        ? ` (${rolledBackTransients} transient faults ended in a clean rollback, not a retry)`
        : ''),
  );
  return lines.join('\n');
}
