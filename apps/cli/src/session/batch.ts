// Running a batch from the command line: the groups from arguments or a file, and progress as lines (the batch
// report is core's, engine.batchReport).
import {
  BatchInputError,
  migrateBatch,
  migrationStatusMark,
  retryFailedGroups,
  runBatch,
  type BatchEvent,
  type BatchRetryDecision,
  type BatchOutcome,
  type BatchRunOptions,
} from '@dlmigrate/core';
import type { RateBudget } from '@dlmigrate/exo';
import { isFinalStatus, type MigrationStatus } from '@dlmigrate/state';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { Status } from '../output/output.js';
import { migrationOptions } from './open-engine.js';
import { withStopSignals } from './run.js';
import type { Session } from './session.js';

export type BatchInput =
  | { readonly kind: 'start'; readonly groups: string | readonly string[]; readonly id?: string }
  | { readonly kind: 'resume'; readonly id: string };

export async function runBatchCommand(
  context: CommandContext,
  session: Session,
  input: BatchInput,
): Promise<BatchOutcome> {
  try {
    return await runBatchOnce(context, session, input);
  } finally {
    context.output.live(undefined);
  }
}

async function runBatchOnce(
  context: CommandContext,
  session: Session,
  input: BatchInput,
): Promise<BatchOutcome> {
  const deps = { ...session.opened.deps, runnerId: `${hostname()}-${process.pid}` };
  const printer = batchEventPrinter(context, session.log.logger, deps.exchange.transport.rate);
  try {
    // Ctrl-C / SIGTERM: the runner takes no new group, lets those in flight stop at a safe point, releases leases.
    return await withStopSignals(context, (signal) =>
      runBatchWith(
        deps,
        session,
        input,
        {
          onEvent: printer.onEvent,
          maxConcurrentGroups: session.config.migration.concurrency,
          signal,
        },
        (r) =>
          context.output.status(
            r.retryId === null ? 'warn' : 'info',
            r.address,
            r.retryId === null
              ? `stays ${r.status.replaceAll('_', ' ')}: ${r.reason}`
              : `retried as ${r.retryId}: ${r.reason}`,
          ),
      ),
    );
  } finally {
    printer.stop();
  }
}

async function runBatchWith(
  deps: Session['opened']['deps'] & { readonly runnerId: string },
  session: Session,
  input: BatchInput,
  run: BatchRunOptions,
  onRetry: (decision: BatchRetryDecision) => void,
): Promise<BatchOutcome> {
  if (input.kind === 'resume') {
    if ((await deps.state.getBatch(input.id)) === null)
      throw new UsageError(`There is no batch ${input.id}; nothing was changed.`);
    // Groups rolled back for a transient cause (or whose undo met one) are tried again; the others stay, with why.
    const retries = await retryFailedGroups(deps, input.id);
    for (const r of retries) onRetry(r);
    return { ...(await runBatch(deps, input.id, run)), retries };
  }
  try {
    const request = {
      groups: input.groups,
      options: migrationOptions(session.config),
      ...(input.id !== undefined ? { id: input.id } : {}),
    };
    const { planned, outcome } = await migrateBatch(deps, request, run);
    session.log.logger.info({ batchId: planned.batch.id, waves: planned.layout.waves }, 'planned');
    return outcome;
  } catch (error) {
    if (error instanceof BatchInputError) {
      throw new UsageError(
        'The batch cannot start; nothing was changed.',
        error.problems
          .filter((p) => p.severity === 'blocking')
          .map(
            (p) =>
              `${p.line > 0 ? `line ${p.line}: ` : ''}${p.value ? `${p.value}: ` : ''}${p.code}: ${p.message}`,
          ),
      );
    }
    throw error;
  }
}

const STEP_STATUS: Partial<Record<string, Status>> = {
  failed: 'fail',
  suspended: 'warn',
  undone: 'warn',
  'undo-failed': 'fail',
};

const BAR_WIDTH = 24;

/**
 * On a terminal, the live view: the level in progress with its phase and a bar of finished groups, plus the
 * whole batch's count, redrawn under the lines of the groups as they finish.
 */
class BatchProgress {
  readonly #levels = new Map<number, { phase: string; total: number; finished: Set<string> }>();
  #current = 0;
  #last: BatchEvent | undefined;

  constructor(readonly rate?: RateBudget) {}

  /** The view again (the rate budget's state changed). */
  redraw(): string | undefined {
    return this.#last === undefined ? undefined : this.#render();
  }

  update(event: BatchEvent): string | undefined {
    this.#last = event;
    if (event.type === 'level') {
      const level = this.#levels.get(event.level) ?? {
        phase: event.phase,
        total: event.groups,
        finished: new Set<string>(),
      };
      level.phase = event.phase;
      level.total = event.groups;
      this.#levels.set(event.level, level);
      this.#current = event.level;
    } else if (event.type === 'group' && isFinalStatus(event.status)) {
      this.#levels.get(event.level)?.finished.add(event.address);
    }
    return this.#render();
  }

  #render(): string | undefined {
    const level = this.#levels.get(this.#current);
    if (level === undefined) return undefined;
    const done = level.finished.size;
    const filled = level.total === 0 ? BAR_WIDTH : Math.round((done / level.total) * BAR_WIDTH);
    const all = [...this.#levels.values()];
    const finishedAll = all.reduce((n, l) => n + l.finished.size, 0);
    return `level ${this.#current} ${level.phase.padEnd(9)} ${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${done}/${level.total}   batch: ${finishedAll} group(s) finished${heldBack(this.rate)}`;
  }
}

/** "   held back by throttling: …" while Exchange Online calls wait for the tenant's rate budget; else "". */
function heldBack(rate: RateBudget | undefined): string {
  const stats = rate?.stats();
  if (stats === undefined || stats.heldBack === 0) return '';
  const why =
    stats.heldBackBy === 'retry-after'
      ? 'Retry-After pause'
      : `paced at ${stats.callsPerSecond?.toFixed(1) ?? '?'} calls/s`;
  return `   held back by throttling: ${stats.heldBack} call(s) waiting (${why})`;
}

/**
 * Levels, the one sync per wave, each group's end, and failed steps; every event goes to the run log. With the
 * tenant's rate budget, the live view also shows when calls wait for it, and throttles go to the run log.
 */
function batchEventPrinter(
  context: CommandContext,
  logger: Logger,
  rate?: RateBudget,
): { onEvent: (event: BatchEvent) => void; stop: () => void } {
  const { output } = context;
  const progress = output.canShowLive ? new BatchProgress(rate) : undefined;
  const stop = rate?.on((event) => {
    if (event.type === 'throttled' || event.type === 'rate-changed') logger.info(event, `rate ${event.type}`);
    if (progress !== undefined && (event.type === 'held-back' || event.type === 'released'))
      output.live(progress.redraw());
  });
  const onEvent = (event: BatchEvent) => {
    logger.info(event, event.type);
    if (progress !== undefined) output.live(progress.update(event));
    switch (event.type) {
      case 'level':
        output.status(
          'info',
          `level ${event.level}`,
          `${event.phase} (${event.groups} group${event.groups === 1 ? '' : 's'})`,
        );
        break;
      case 'sync-triggered':
        output.status('info', `level ${event.level}`, `sync triggered once for ${event.groups} group(s)`);
        break;
      case 'final-sync-triggered':
        output.status(
          'info',
          `level ${event.level}`,
          `final sync triggered once for ${event.groups} group(s) whose on-premises dependants have synced copies`,
        );
        break;
      case 'deletions':
        output.status(
          event.pending === 0 ? 'ok' : 'warn',
          `level ${event.level}`,
          `${event.deleted} synced group(s) gone from the cloud, ${event.pending} pending`,
        );
        break;
      case 'step': {
        const status = STEP_STATUS[event.event];
        if (status !== undefined)
          output.status(status, `${event.address}  ${event.step}`, event.error ?? event.event);
        else output.debug(`${event.address}: ${event.step} ${event.event}`);
        break;
      }
      case 'group':
        output.status(
          migrationStatusMark(event.status),
          event.address,
          `${event.status.replaceAll('_', ' ')}${event.codes.length > 0 ? ` (${event.codes.join(', ')})` : ''}`,
        );
        break;
      case 'budget-share':
        output.status(
          'info',
          'tenant budget',
          `${event.runners} runner(s) on this batch: this one sends at most ${event.callsPerSecond.toFixed(1)} calls/s`,
        );
        break;
      case 'retry':
        output.status('info', event.address, `runs again after ${event.after.join(', ')}`);
        break;
    }
  };
  return { onEvent, stop: () => void stop?.() };
}

/** After a Ctrl-C / SIGTERM: the migrations left open (their ids) and the command that continues the batch. */
export function printBatchStopped(context: CommandContext, outcome: BatchOutcome): void {
  if (outcome.stopped === undefined) return;
  for (const g of outcome.groups.filter((g) => !isFinalStatus(g.status)))
    context.output.line(`  ${g.address}: migration ${g.migrationId} (${g.status})`);
  context.output.line(
    `Stopped (${outcome.stopped}); the journal is written and the leases released. Continue with: dlmigrate batch --resume ${outcome.batchId}`,
  );
}

/** Worst first: a failure outweighs a block, a block outweighs warnings. A stopped run is 130 (resume goes on). */
export function batchExitCode(outcome: BatchOutcome): ExitCode {
  if (outcome.stopped !== undefined) return ExitCode.Interrupted;
  const statuses = new Set(outcome.groups.map((g) => g.status));
  if (
    ['failed', 'rolled_back', 'undo_failed', 'running', 'parked', 'planned'].some((s) =>
      statuses.has(s as MigrationStatus),
    )
  )
    return ExitCode.Failed;
  if (statuses.has('blocked')) return ExitCode.Blocked;
  if (statuses.has('completed_with_warnings')) return ExitCode.CompletedWithWarnings;
  return ExitCode.Succeeded;
}
