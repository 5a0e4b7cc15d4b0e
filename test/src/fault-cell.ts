// One cell of the fault matrix (fault-matrix.ts) on a world reset to its baseline: bring the world to where the
// operation starts (a migration to restore, …), run the operation with the fault, continue it while it is open, and
// compare the whole directory and the whole tenant with the two states a safe run may end in.
import { MigrationEngine, type EngineDeps } from '@dlmigrate/core';
import { ExoError } from '@dlmigrate/exo';
import { runChildUntilKilled } from './child.js';
import { childDeps, type ChildDeps } from './child-deps.js';
import {
  differences,
  exchangeFault,
  graphFault,
  permanentError,
  REFRESH_TOKEN_LIFETIME_SECONDS,
  tokenFault,
  transientError,
  type Cell,
  type CellResult,
  type EndState,
  type Target,
  type Views,
} from './fault-matrix.js';
import {
  continueOperation,
  isOpen,
  standing,
  startOperation,
  type Ended,
  type Operation,
  type OperationKind,
} from './fault-operations.js';
import { faultHook, type FaultHook } from './faults.js';
import { fullDirectoryView, tenantView } from './views.js';
import type { World } from './world.js';

const ADDRESS = 'sales@contoso.com';
const QUICK_RETRY = {
  budgetMs: 3_000,
  baseDelayMs: 200,
  maxDelayMs: 1_000,
  maxAttempts: Infinity,
  retryTimeouts: false,
};

// A GUID with or without dashes (a new recipient's legacyExchangeDN carries one as 32 hex digits).
const GUID = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/gi;
const withoutIds = (view: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(JSON.stringify(view).replace(GUID, '<id>')) as Record<string, unknown>;

/** Both views, with ids a new or re-created object legitimately gets anew replaced (GUID-shaped values). */
export async function viewsOf(world: World): Promise<Views> {
  return {
    directory: withoutIds(await fullDirectoryView(world)),
    tenant: withoutIds(withConfiguration(world, tenantView(world))),
  };
}

/**
 * The tenant view with the Exchange configuration that names recipients (rewire-config's containers): each resource
 * mailbox's booking lists (under its recipient, by the names of the recipients they hold), and each transport and
 * journal rule (by its name). A container left naming a deleted group shows the raw value.
 */
function withConfiguration(world: World, view: Record<string, unknown>): Record<string, unknown> {
  const t = world.sim.tenant(world.tenantId);
  const config = t.exchangeConfig;
  if (config === undefined) return view;
  const recipients = Object.values(t.recipients);
  const byGuid = new Map(recipients.map((r) => [r.Guid, r.Name]));
  const byLegacyDn = new Map(recipients.map((r) => [r.LegacyExchangeDN.toLowerCase(), r.Name]));
  const legacy = (values: readonly string[]) =>
    values.map((v) => byLegacyDn.get(v.toLowerCase()) ?? v).sort();
  const out = { ...view };
  for (const [guid, processing] of Object.entries(config.calendarProcessing)) {
    const name = byGuid.get(guid) ?? guid;
    out[name] = {
      ...(out[name] as object | undefined),
      bookInPolicy: legacy(processing.BookInPolicy),
      requestInPolicy: legacy(processing.RequestInPolicy),
      requestOutOfPolicy: legacy(processing.RequestOutOfPolicy),
      resourceDelegates: processing.ResourceDelegates.map((g) => byGuid.get(g) ?? g).sort(),
    };
  }
  for (const rule of config.transportRules)
    out[`transport rule ${rule.Name}`] = {
      state: rule.State,
      recipients: Object.fromEntries(
        Object.entries(rule.recipients).map(([k, v]) => [k, v.map((x) => byGuid.get(x) ?? x).sort()]),
      ),
      other: rule.other,
    };
  for (const rule of config.journalRules)
    out[`journal rule ${rule.Name}`] = {
      recipient: rule.Recipient,
      journalTo: rule.JournalEmailAddress === null ? null : (byGuid.get(rule.JournalEmailAddress) ?? null),
    };
  return out;
}

/**
 * A room whose booking policy names groups.sales (by its LegacyExchangeDN, as Exchange keeps it): configuration a
 * recreate's rewire-config points at the new DL (fault-matrix.ts, rewire-config's cells).
 */
async function bookingPolicyNamingTheGroup(world: World): Promise<void> {
  world.sim.seedRecipients(world.tenantId, [
    { type: 'RoomMailbox', name: 'Board Room', primarySmtpAddress: 'boardroom@contoso.com' },
  ]);
  // A connection the previous cell's run left to the pool may be one the simulator has closed ("socket hang up": the
  // transport cannot tell whether a Set- was made, and does not repeat it). Setting the same list again is harmless.
  const set = () =>
    world.cloud.exchange.transport.invoke('Set-CalendarProcessing', {
      Identity: 'boardroom@contoso.com',
      BookInPolicy: [ADDRESS],
    });
  await set().catch((error: unknown) => {
    if (!(error instanceof ExoError && error.code === 'EXO_TIMEOUT')) throw error;
    return set();
  });
}

/** A migration the operation under test starts from; it must have ended as a finished migration. */
async function migrated(world: World, options: Record<string, unknown>): Promise<string> {
  const outcome = await world.engine.migrate(ADDRESS, {
    nonSyncOu: world.objects['ous.nonSync']!.dn,
    ...options,
  });
  if (!outcome.status.startsWith('completed'))
    throw new Error(`preparing the cell: the migration ended ${outcome.status} (${outcome.error ?? ''})`);
  return outcome.migrationId;
}

/** Brings a world just reset to the state `kind` starts from, and says what to run. */
async function prepare(world: World, kind: OperationKind): Promise<Operation> {
  const base = { kind, address: ADDRESS, nonSyncOu: world.objects['ous.nonSync']!.dn };
  switch (kind) {
    case 'recreate':
      await bookingPolicyNamingTheGroup(world);
      return base;
    case 'convert':
      return base;
    case 'restore':
      return { ...base, migrationId: await migrated(world, { hybridMailFlow: true }) };
    case 'restore-convert':
      return {
        ...base,
        migrationId: await migrated(world, { strategy: 'convert', hybridMailFlow: true }),
      };
    case 'update-address':
      await migrated(world, { hybridMailFlow: true });
      return base;
    case 'enable-hybrid':
      // Migrated without the on-prem objects: on-prem dependants stay unrewired (needs-action), enable builds them.
      await migrated(world, { routingContact: false });
      return { ...base, ou: world.objects['ous.groups']!.dn };
  }
}

/** What an operation must end in: the state before it, and the state and status an uninterrupted run leaves. */
export interface Expected {
  readonly baseline: Views;
  readonly reference: Views;
  readonly referenceStatus: string;
}

export async function expectedFor(world: World, kind: OperationKind): Promise<Expected> {
  await world.reset();
  const op = await prepare(world, kind);
  const baseline = await viewsOf(world);
  const ended = await startOperation(world.engine, op);
  if (!['completed', 'completed_with_warnings', 'restored'].includes(ended.status))
    throw new Error(`the uninterrupted ${kind} ended ${ended.status}`);
  return { baseline, reference: await viewsOf(world), referenceStatus: ended.status };
}

/** Runs `op` with the cell's fault armed at its step, in this process. Returns undefined when the run threw. */
async function runWithFault(
  world: World,
  cell: Cell,
  op: Operation,
): Promise<{ ended: Ended | undefined; fired: boolean; unjournaled: number }> {
  // A token fault needs a connection that has no token yet: a fresh set of connections for this run. A refresh cell's
  // connection holds one that has run out by the step (the tenant's short token lifetime, set by runCell).
  let fresh: ChildDeps | undefined;
  if (cell.dependency === 'token') fresh = await childDeps(world.childConfig);
  // The Graph token's request fails: the connection first gets its Exchange token, so Graph's is the next request.
  if (cell.tokenFor === 'graph') await fresh!.cloud.tokens.token(fresh!.cloud.tokens.cloud.exchangeResource);
  const deps = { ...(fresh?.deps ?? world.deps) } as { -readonly [K in keyof EngineDeps]: EngineDeps[K] };
  // The token endpoint down for good: an outage the engine waits out within its token outage budget (core
  // util/retry.ts TOKEN_OUTAGE_BUDGET_MS, three minutes) before the step fails — here a budget of seconds, so the cell
  // ends in test time.
  if (cell.dependency === 'token' && cell.kind === 'permanent') deps.retryPolicy = QUICK_RETRY;
  // The change a step whose "started" entry could not be journaled must not make: its calls counted during this run.
  let unjournaled = 0;
  let inStep = false;
  if (cell.change !== undefined && cell.kind === 'permanent' && cell.journal !== 'completed') {
    const { target, method } = cell.change;
    const whole = cell.journal === 'started';
    (deps as Record<Target, unknown>)[target] = counting(deps[target] as object, method.split('.'), () => {
      if (whole || inStep) unjournaled++;
    });
  }
  let hook: FaultHook<object> | undefined;
  if (cell.target !== 'exchange' && cell.route === undefined && cell.dependency !== 'token') {
    hook = faultHook(deps[cell.target] as object);
    (deps as Record<Target, unknown>)[cell.target] = hook.target;
  }
  const kind = cell.kind as 'transient' | 'permanent';
  let fired = false;
  let callsAtArm = 0;
  let tokensAtArm = 0;
  let requestsAtArm = 0;
  const stats = () => world.sim.calls(world.tenantId);
  const arm = () => {
    if (cell.dependency === 'token') {
      tokensAtArm = stats().tokens;
      requestsAtArm = fresh!.cloud.tokens.tokenEndpointRequests;
      world.sim.injectTokenFault(world.tenantId, tokenFault(kind));
    } else if (cell.target === 'exchange') {
      callsAtArm = stats().cmdlets[cell.cmdlet!] ?? 0;
      world.sim.injectFault(world.tenantId, exchangeFault(cell.cmdlet!, kind));
    } else if (cell.route !== undefined) {
      callsAtArm = stats().graph[cell.route] ?? 0;
      world.sim.injectGraphFault(world.tenantId, graphFault(cell.route, kind));
    } else {
      hook!.arm(
        cell.method,
        kind === 'transient' ? transientError(cell.target) : permanentError(cell.target),
        kind === 'transient' ? 1 : Infinity,
        cell.journal === undefined ? undefined : journalEntryOf(cell.step, cell.journal),
      );
    }
  };
  const disarm = () => {
    if (cell.dependency === 'token') {
      // Requests the endpoint refused reach it (the connection counts them) but issue no token (the tenant counts those).
      if (fresh!.cloud.tokens.tokenEndpointRequests - requestsAtArm > stats().tokens - tokensAtArm)
        fired = true;
      world.sim.clearFaults(world.tenantId);
    } else if (cell.target === 'exchange') {
      if ((stats().cmdlets[cell.cmdlet!] ?? 0) > callsAtArm) fired = true;
      world.sim.clearFaults(world.tenantId);
    } else if (cell.route !== undefined) {
      if ((stats().graph[cell.route] ?? 0) > callsAtArm) fired = true;
      world.sim.clearFaults(world.tenantId);
    } else {
      if ((hook!.fired.get(cell.method) ?? 0) > 0) fired = true;
      hook!.clear();
    }
  };
  // The token is requested at the connection's first call, which may come before the step starts; a journal entry's
  // fault is armed for that entry only, and its "started" entry is written before the step's started event.
  // A refresh cell's fault is armed when its step starts, like any other step's: the request it fails is that step's.
  let armed = (cell.dependency === 'token' && cell.refresh !== true) || cell.journal !== undefined;
  if (armed) arm();
  let ended: Ended | undefined;
  try {
    ended = await startOperation(new MigrationEngine(deps), op, {
      onEvent: (e) => {
        if (e.step !== cell.step) return;
        inStep = e.event === 'started';
        if (e.event === 'started' && !armed) {
          armed = true;
          arm();
        }
        // A permanent failure is the step's own call: once the step has failed, its undo meets a working service.
        if (e.event === 'failed' || e.event === 'completed') disarm();
      },
    });
  } catch {
    ended = undefined; // the run could not even record how it ended (a state-store fault): the store says
  }
  if (armed) disarm();
  await fresh?.close();
  return { ended, fired, unjournaled };
}

/** The appendJournal calls (migrationId, entry, fence) that write `event` of `step`. */
const journalEntryOf =
  (step: string, event: string) =>
  (args: readonly unknown[]): boolean => {
    const entry = args[1] as { step?: unknown; event?: unknown } | undefined;
    return entry?.step === step && entry.event === event;
  };

/** `real` with every call of the method at `path` (a method of a part: several names) counted (and made). */
function counting(real: object, path: readonly string[], count: () => void): object {
  const [name, ...rest] = path;
  return new Proxy(real, {
    get(inner, key) {
      const value = Reflect.get(inner, key, inner) as unknown;
      if (key === name && rest.length > 0 && typeof value === 'object' && value !== null)
        return counting(value, rest, count);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (key === name && rest.length === 0) count();
        return (value as (...a: unknown[]) => unknown).apply(inner, args);
      };
    },
  });
}

/**
 * Whether the run's only differences from the uninterrupted one are links of objects its needs-action findings name:
 * each difference is on such an object (a directory entry by DN, a recipient by its primary address), or every value
 * that differs names one (the back link on the other end of such a link). At least one difference and one finding.
 */
function onlyWhatFindingsName(
  diff: readonly [string, string, unknown, unknown][],
  ended: Ended,
  expected: Expected,
): boolean {
  const named = new Set((ended.needsAction ?? []).map((s) => s.toLowerCase()));
  // A synced object's copy in the tenant (keyed by its name) is the object a finding names by its DN.
  const namedCopies = new Set([...named].map((dn) => /^cn=((?:[^,\\]|\\.)*)/.exec(dn)?.[1] ?? dn));
  const primaryOf = (key: string) =>
    (expected.reference.tenant[key] as { primary?: string } | undefined)?.primary?.toLowerCase();
  const values = (v: unknown) => (Array.isArray(v) ? v.map((x) => String(x).toLowerCase()) : []);
  const explained = ([key, , before, after]: [string, string, unknown, unknown]) => {
    const k = key.toLowerCase();
    if (named.has(k) || namedCopies.has(k) || named.has(primaryOf(key) ?? '')) return true;
    const [b, a] = [values(before), values(after)];
    const changed = [...b.filter((x) => !a.includes(x)), ...a.filter((x) => !b.includes(x))];
    return changed.length > 0 && changed.every((x) => named.has(x));
  };
  return named.size > 0 && diff.length > 0 && diff.every(explained);
}

/** Runs one cell on `world`; `expected` is what this operation must end in (expectedFor). */
export async function runCell(world: World, cell: Cell, expected: Expected): Promise<CellResult> {
  await world.reset();
  const op = await prepare(world, cell.operation);
  // Tokens that run out before the step (cleared by the next reset, which restores the tenant's behaviour).
  if (cell.refresh === true)
    world.sim.setBehaviour(world.tenantId, { tokenLifetimeSeconds: REFRESH_TOKEN_LIFETIME_SECONDS });
  let ended: Ended | undefined;
  let fired = false;
  let unjournaled = 0;

  if (cell.kind === 'kill-before' || cell.kind === 'kill-after') {
    try {
      await runChildUntilKilled(world, {
        address: op.address,
        killAfter: '',
        operation: op,
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
    ({ ended, fired, unjournaled } = await runWithFault(world, cell, op));
  }

  // The operation ends the way an operator ends it: continued while it is open.
  ended ??= await standing(world.state, op);
  let resumes = 0;
  while (isOpen(ended.status) && resumes < 3) {
    resumes++;
    try {
      ended = await continueOperation(world.engine, op, ended.id);
    } catch (error) {
      ended = { id: ended.id, status: `threw: ${(error as Error).message}`, findings: 0 };
    }
  }

  // A restore records what it could not put back as needs-action findings in the store, and must say how many
  // (RestoreOutcome.needsAction: the CLI exits 4 on them) — a restore that says fewer reports success while wrong.
  if (ended.status === 'restored' && ended.id !== undefined) {
    const findings = await world.state.listFindings(ended.id);
    const left = findings.filter(
      (e) => e.severity === 'needs-action' && (e.step ?? '').startsWith('restore-'),
    );
    const needsAction = left.flatMap((e) => (e.subject === null ? [] : [e.subject]));
    ended =
      ended.restoreSaid === left.length
        ? { ...ended, needsAction }
        : {
            ...ended,
            status: `restored, saying ${ended.restoreSaid} needs-action findings of ${left.length}`,
          };
  }
  const now = await viewsOf(world);
  const toReference = differences(expected.reference, now);
  const toBaseline = differences(expected.baseline, now);
  // A change made although the entry before it could not be journaled: whatever the end state, the run was unsafe.
  if (unjournaled > 0)
    return {
      cell,
      fired,
      end: 'wrong',
      status: ended.status,
      resumes,
      diff: [['(made without its journal entry)', cell.change!.method, 0, unjournaled]],
    };
  const end: EndState | 'wrong' =
    ended.status === expected.referenceStatus && toReference.length === 0
      ? 'as-uninterrupted'
      : ended.status === 'rolled_back' && toBaseline.length === 0 && ended.findings > 0
        ? 'rolled-back'
        : ['completed_with_warnings', 'restored'].includes(ended.status) &&
            onlyWhatFindingsName(toReference, ended, expected)
          ? 'needs-action'
          : 'wrong';
  const diff = end !== 'wrong' ? [] : toReference.length <= toBaseline.length ? toReference : toBaseline;
  return { cell, fired, end, status: ended.status, resumes, diff };
}
