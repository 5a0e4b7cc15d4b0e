// A saga: ordered, idempotent steps; the journal is written before and after each one. Until a step marked as the
// point of no return has completed, a failure undoes every step that may have changed something, newest first.
// After it, a failure only stops the run; resuming rolls forward from the failed step.
import type { z } from 'zod';
import { CoreError } from '../errors/core-error.js';
import { parseStored } from '../stored/parse.js';
import { StopRequested } from '../util/poll.js';
import { completedData, lastEntryByStep, type Journal, type JournalEntry } from './journal.js';

/** Thrown by a step that must stop without failing: the saga is left resumable at that step (no undo). */
export class SuspendSaga extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SuspendSaga';
  }
}

/**
 * Results of earlier steps, by step name, as stored in the journal. `M` maps each step name to the type its `run`
 * returns (steps/results.ts for a migration): a step reads an earlier step's result without a cast, and a renamed
 * step is a compile error instead of an `undefined` at run time.
 */
export interface StepResults<M extends object = Record<string, unknown>> {
  /** The result of a step that completed; undefined when it has not (or was skipped). */
  get<K extends keyof M & string>(name: K): M[K] | undefined;
  has(name: keyof M & string): boolean;
  /** The names of the steps that have a result. */
  keys(): Iterable<string>;
}

/**
 * The schema of each step's result, by step name (steps/results-schema.ts for a migration, restore/results-schema.ts
 * for a restore): how a result comes back from the journal, parsed rather than cast (stored/parse.ts).
 */
export type ResultSchemas<M extends object> = { readonly [K in keyof M & string]-?: z.ZodType<M[K]> };

/** Results of a saga's steps: those read back from the journal, parsed, then those its steps return as it runs. */
class JournaledResults<M extends object> implements StepResults<M> {
  readonly #data = new Map<string, unknown>();

  get<K extends keyof M & string>(name: K): M[K] | undefined {
    // Each value was parsed by the schema of its step's name (resultsOf) or returned by that step's run (set), so it
    // is an M[K]; a Map cannot say so by itself.
    return this.#data.get(name) as M[K] | undefined;
  }

  has(name: keyof M & string): boolean {
    return this.#data.has(name);
  }

  keys(): Iterable<string> {
    return this.#data.keys();
  }

  set<K extends keyof M & string>(name: K, value: M[K]): void {
    this.#data.set(name, value);
  }

  /** A result as the journal holds it: parsed when `schemas` names its step (kept as is otherwise: no step reads it). */
  read(name: string, value: unknown, schemas: ResultSchemas<M>, migrationId: string): void {
    // Widened to the index it is: a ResultSchemas<M> holds a schema under each of M's step names.
    const index = schemas as Readonly<Record<string, z.ZodType>>;
    const schema = Object.hasOwn(index, name) ? index[name] : undefined;
    this.#data.set(
      name,
      // A step that completed without a result (undefined) has nothing to parse.
      schema === undefined || value === undefined
        ? value
        : parseStored(schema, value, `the result of step ${name} of migration ${migrationId}`),
    );
  }
}

function journaledResults<M extends object>(
  data: ReadonlyMap<string, unknown>,
  schemas: ResultSchemas<M>,
  migrationId: string,
): JournaledResults<M> {
  const results = new JournaledResults<M>();
  for (const [name, value] of data) results.read(name, value, schemas, migrationId);
  return results;
}

/**
 * Journaled results (completedData) of migration `migrationId`, each parsed by its step's schema: a result written by
 * another version, damaged or edited by hand is a CoreError STORED_DOCUMENT_INVALID here, not a step failing half-way
 * on an undefined field later.
 */
export function resultsOf<M extends object>(
  data: ReadonlyMap<string, unknown>,
  schemas: ResultSchemas<M>,
  migrationId: string,
): StepResults<M> {
  return journaledResults(data, schemas, migrationId);
}

/** A step named `K` of a saga whose results are `M`: its `run` returns `M[K]`. */
export interface SagaStep<
  C,
  M extends object = Record<string, unknown>,
  K extends keyof M & string = keyof M & string,
> {
  readonly name: K;
  /** Once this step has completed, failures roll forward instead of undoing. */
  readonly pointOfNoReturn?: boolean;
  /** false → the step is journaled as skipped and not run. */
  enabled?(context: C, results: StepResults<M>): boolean;
  /** Must be idempotent: it may run again after a crash, on top of its own partial work. */
  run(context: C, results: StepResults<M>): Promise<M[K]>;
  /**
   * Reverses the step. `data` is undefined when the step never completed (it crashed or threw half-way), so undo has
   * to find its own traces (deterministic names) and must tolerate finding nothing.
   */
  undo?(context: C, results: StepResults<M>, data: M[K] | undefined): Promise<void>;
}

export type SagaOutcome<M extends object = Record<string, unknown>> =
  | { readonly status: 'completed'; readonly results: StepResults<M> }
  /** A step failed before the point of no return and every change was undone. */
  | {
      readonly status: 'rolled_back';
      readonly failedStep: string;
      readonly error: string;
      readonly undoErrors: readonly string[];
    }
  /** A step failed after the point of no return; resume continues from it. */
  | { readonly status: 'interrupted'; readonly failedStep: string; readonly error: string }
  | { readonly status: 'suspended'; readonly step: string; readonly reason: string }
  /**
   * An operator asked to stop (SagaRunOptions.signal): the call in flight was finished, or a wait abandoned (journaled
   * as suspended); resume continues with `step`.
   */
  | { readonly status: 'stopped'; readonly step: string; readonly reason: string }
  /** Stopped on request after a completed step (SagaRunOptions.stopAfter); resume continues with the next one. */
  | { readonly status: 'paused'; readonly after: string };

export interface SagaRunOptions {
  readonly now?: () => Date;
  /** Stop (status "paused") once this step has completed; a later run continues after it. */
  readonly stopAfter?: string;
  /** Never undo: every failure stops the run ("interrupted") and the next run retries the failed step (restores). */
  readonly rollForwardOnly?: boolean;
  readonly onEntry?: (entry: JournalEntry) => void;
  /**
   * Ctrl-C / SIGTERM: no new step starts once it aborts, and a step waiting (pollUntil with the same signal) stops
   * waiting. Undo is never cut short: it runs to its end.
   */
  readonly signal?: AbortSignal;
  /**
   * Runs a step (its run or its undo) and each journal write, retrying what failed for a transient cause (the engine
   * gives util/retry.ts's retryTransient); what it finally throws is the step's failure. Without it, one attempt.
   */
  readonly retry?: <T>(attempt: () => Promise<T>) => Promise<T>;
  /** Whether a failure had a transient cause; journaled with it (`transient: true`). */
  readonly isTransient?: (error: unknown) => boolean;
  /**
   * Awaited before a step that has not run yet starts (before its "started" entry): a batch holds the steps after
   * take-over there while other groups' take-overs are due (engine.ts). A stop requested meanwhile stops the saga at
   * that step, which has not started.
   */
  readonly beforeStep?: (step: string) => Promise<void>;
}

function reasonOf(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'abort';
}

/** Observers (progress displays) must never change the outcome of a step: their errors are ignored. */
function notify(options: SagaRunOptions, entry: JournalEntry): void {
  try {
    options.onEntry?.(entry);
  } catch {
    // deliberately ignored, see above
  }
}

function errorOf(
  error: unknown,
  isTransient?: (error: unknown) => boolean,
): { message: string; code?: string; transient?: boolean } {
  const transient = isTransient?.(error) === true ? { transient: true } : {};
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string'
      ? { message: error.message, code, ...transient }
      : { message: error.message, ...transient };
  }
  return { message: String(error), ...transient };
}

export class Saga<C, M extends object = Record<string, unknown>> {
  readonly #steps: readonly SagaStep<C, M>[];
  readonly #journal: Journal;
  readonly #schemas: ResultSchemas<M>;

  /** `schemas`: how each step's result is read back from the journal when a run resumes (resultsOf). */
  constructor(steps: readonly SagaStep<C, M>[], journal: Journal, schemas: ResultSchemas<M>) {
    const names = new Set(steps.map((s) => s.name));
    if (names.size !== steps.length) throw new Error('saga step names must be unique');
    this.#steps = steps;
    this.#journal = journal;
    this.#schemas = schemas;
  }

  /** Runs from the start, or resumes a journaled run where it stopped (the same call does both). */
  async run(migrationId: string, context: C, options: SagaRunOptions = {}): Promise<SagaOutcome<M>> {
    const now = options.now ?? (() => new Date());
    const retry = options.retry ?? (<T>(attempt: () => Promise<T>) => attempt());
    const entries = await this.#journal.read(migrationId);
    const state = new Map([...lastEntryByStep(entries)].map(([step, e]) => [step, e]));
    const results = journaledResults(completedData(entries), this.#schemas, migrationId);
    const write = async (entry: Omit<JournalEntry, 'at'>) => {
      const full = { ...entry, at: now().toISOString() };
      await retry(() => this.#journal.append(migrationId, full));
      state.set(full.step, full);
      notify(options, full);
    };

    const interruptedRollback = options.rollForwardOnly
      ? undefined
      : this.#failedBeforePointOfNoReturn(state);
    if (interruptedRollback !== undefined) {
      const error = entries.findLast((e) => e.event === 'failed')?.error?.message ?? 'unknown failure';
      return this.#undo(
        interruptedRollback,
        context,
        results,
        state,
        write,
        error,
        retry,
        options.isTransient,
      );
    }

    let pastPointOfNoReturn = false;
    for (const [index, step] of this.#steps.entries()) {
      const previous = state.get(step.name)?.event;
      if (options.signal?.aborted && previous !== 'completed' && previous !== 'skipped')
        return { status: 'stopped', step: step.name, reason: reasonOf(options.signal) };
      if (previous === 'completed' || previous === 'skipped') {
        pastPointOfNoReturn ||= previous === 'completed' && step.pointOfNoReturn === true;
        if (options.stopAfter === step.name) return { status: 'paused', after: step.name };
        continue;
      }
      if (options.beforeStep !== undefined) {
        await options.beforeStep(step.name);
        if (options.signal?.aborted)
          return { status: 'stopped', step: step.name, reason: reasonOf(options.signal) };
      }
      if (step.enabled !== undefined && !step.enabled(context, results)) {
        await write({ step: step.name, event: 'skipped' });
        continue;
      }
      await write({ step: step.name, event: 'started' });
      try {
        const data = await retry(() => step.run(context, results));
        results.set(step.name, data);
        await write(
          data === undefined
            ? { step: step.name, event: 'completed' }
            : { step: step.name, event: 'completed', data },
        );
        pastPointOfNoReturn ||= step.pointOfNoReturn === true;
        if (options.stopAfter === step.name && index < this.#steps.length - 1)
          return { status: 'paused', after: step.name };
      } catch (error) {
        const detail = errorOf(error, options.isTransient);
        if (error instanceof StopRequested && options.signal?.aborted) {
          await write({ step: step.name, event: 'suspended', error: detail });
          return { status: 'stopped', step: step.name, reason: reasonOf(options.signal) };
        }
        if (error instanceof SuspendSaga) {
          await write({ step: step.name, event: 'suspended', error: detail });
          return { status: 'suspended', step: step.name, reason: detail.message };
        }
        await write({ step: step.name, event: 'failed', error: detail });
        if (pastPointOfNoReturn || options.rollForwardOnly)
          return { status: 'interrupted', failedStep: step.name, error: detail.message };
        return this.#undo(index, context, results, state, write, detail.message, retry, options.isTransient);
      }
    }
    return { status: 'completed', results };
  }

  /**
   * Gives up on a run that is suspended or interrupted before the point of no return (an operator's decision, e.g.
   * the deletion never happened): the current step is journaled as failed and everything done so far is undone.
   */
  async abort(
    migrationId: string,
    context: C,
    reason: string,
    options: SagaRunOptions = {},
  ): Promise<SagaOutcome<M>> {
    const entries = await this.#journal.read(migrationId);
    const state = lastEntryByStep(entries);
    const pastPointOfNoReturn = this.#steps.some(
      (s) => s.pointOfNoReturn === true && state.get(s.name)?.event === 'completed',
    );
    if (pastPointOfNoReturn)
      throw new CoreError(
        'CORE_PAST_POINT_OF_NO_RETURN',
        'the migration is past its point of no return; it can only be resumed',
      );
    const current = [...this.#steps]
      .reverse()
      .find((s) => state.has(s.name) && state.get(s.name)?.event !== 'skipped');
    if (current === undefined)
      return { status: 'rolled_back', failedStep: '', error: reason, undoErrors: [] };
    const at = (options.now ?? (() => new Date()))().toISOString();
    await this.#journal.append(migrationId, {
      step: current.name,
      event: 'failed',
      at,
      error: { message: reason },
    });
    return this.run(migrationId, context, options);
  }

  /**
   * Index of the step whose failure started a rollback that has to be (re)done on resume: a step journaled as failed
   * or being undone, while no point-of-no-return step has completed. Undo entries count too, so a process that died
   * half-way through the undo finishes it, and a failed undo is retried on every resume.
   */
  #failedBeforePointOfNoReturn(state: Map<string, JournalEntry>): number | undefined {
    let failed: number | undefined;
    for (const [index, step] of this.#steps.entries()) {
      const event = state.get(step.name)?.event;
      if (event === 'completed' && step.pointOfNoReturn === true) return undefined;
      if (event === 'failed' || event === 'undo-started' || event === 'undone' || event === 'undo-failed')
        failed = index;
    }
    return failed;
  }

  async #undo(
    fromIndex: number,
    context: C,
    results: StepResults<M>,
    state: Map<string, JournalEntry>,
    write: (entry: Omit<JournalEntry, 'at'>) => Promise<void>,
    error: string,
    retry: <T>(attempt: () => Promise<T>) => Promise<T>,
    isTransient?: (error: unknown) => boolean,
  ): Promise<SagaOutcome<M>> {
    const failedStep = this.#steps[fromIndex]!.name;
    const undoErrors: string[] = [];
    for (let i = fromIndex; i >= 0; i--) {
      const step = this.#steps[i]!;
      const event = state.get(step.name)?.event;
      // Never started, skipped or already reversed: nothing to undo.
      if (step.undo === undefined || event === undefined || event === 'skipped' || event === 'undone')
        continue;
      await write({ step: step.name, event: 'undo-started' });
      try {
        await retry(() => step.undo!(context, results, results.get(step.name)));
        await write({ step: step.name, event: 'undone' });
      } catch (undoError) {
        const detail = errorOf(undoError, isTransient);
        undoErrors.push(`${step.name}: ${detail.message}`);
        await write({ step: step.name, event: 'undo-failed', error: detail });
      }
    }
    return { status: 'rolled_back', failedStep, error, undoErrors };
  }
}
