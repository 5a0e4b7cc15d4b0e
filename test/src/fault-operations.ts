// The operations the fault matrix interrupts (fault-matrix.ts), each started and continued the way an operator would:
// a migration by either strategy (continued with `resume`), a restore (continued by calling restore again), a hybrid
// address update (`resumeAddressUpdate`) and hybrid mail flow enabled after the fact (run again: it finishes what an
// interrupted run started, packages/core/src/hybrid/enable.ts). Used in the test process and in the child process
// that kills itself at a call (child-migrate.ts), so both run exactly the same thing.
import type { MigrationEngine, RunOptions } from '@dlmigrate/core';
import type { MigrationStatus, StateStore } from '@dlmigrate/state';

export type OperationKind =
  'recreate' | 'convert' | 'restore' | 'restore-convert' | 'update-address' | 'enable-hybrid';

/** Everything an operation needs, as JSON (it crosses into the child process). */
export interface Operation {
  readonly kind: OperationKind;
  readonly address: string;
  readonly nonSyncOu: string;
  /** restore: the migration to restore. */
  readonly migrationId?: string;
  /** enable-hybrid: where the contact and the dynamic DL go. */
  readonly ou?: string;
}

/** Migrations by convert build the dynamic DL of hybrid mail flow too, so its step is in the matrix. */
const CONVERT_OPTIONS = { strategy: 'convert', hybridMailFlow: true } as const;

/** How an operation (or its continuation) ended. `id` is the migration or operation id, when it has one. */
export interface Ended {
  readonly id: string | undefined;
  readonly status: string;
  /** Findings of the run's report (migrations only; 0 for the others). */
  readonly findings: number;
  /** The objects its needs-action findings name (migrations only). */
  readonly needsAction?: readonly string[];
  /** How many needs-action findings a finished restore said it left (RestoreOutcome.needsAction). */
  readonly restoreSaid?: number;
}

const needsAction = (outcome: { report: { findings: readonly { severity: string; subject: string }[] } }) =>
  outcome.report.findings.filter((f) => f.severity === 'needs-action').map((f) => f.subject);

/** update-address moves the group to this address and alias. */
const NEW_ADDRESS = 'sales.team@contoso.com';
const NEW_ALIAS = 'salesteam';

/** Stored statuses of a migration (or address update) that still holds the group: the operator continues it. */
const HOLDING: readonly MigrationStatus[] = ['running', 'parked', 'undo_failed', 'planned'];
/** Statuses after which the operator continues the operation (resume, restore again, enable again). */
export const isOpen = (status: string): boolean =>
  (HOLDING as readonly string[]).includes(status) || status === 'interrupted';

/** The step name the matrix uses for enable-hybrid, which is one call rather than a journaled saga. */
const ENABLE_STEP = 'enable-hybrid';

export async function startOperation(
  engine: MigrationEngine,
  op: Operation,
  run: RunOptions = {},
): Promise<Ended> {
  switch (op.kind) {
    case 'recreate':
    case 'convert': {
      const outcome = await engine.migrate(
        op.address,
        { nonSyncOu: op.nonSyncOu, ...(op.kind === 'convert' ? CONVERT_OPTIONS : {}) },
        run,
      );
      return {
        id: outcome.migrationId,
        status: outcome.status,
        findings: outcome.report.findings.length,
        needsAction: needsAction(outcome),
      };
    }
    case 'restore':
    case 'restore-convert': {
      const outcome = await engine.restore(op.migrationId!, run);
      return {
        id: outcome.migrationId,
        status: outcome.status,
        findings: 0,
        ...(outcome.needsAction === undefined ? {} : { restoreSaid: outcome.needsAction }),
      };
    }
    case 'update-address': {
      const outcome = await engine.updateHybridAddress(op.address, NEW_ADDRESS, NEW_ALIAS, run);
      return { id: outcome.operationId, status: outcome.status, findings: 0 };
    }
    case 'enable-hybrid': {
      const event = (e: 'started' | 'completed' | 'failed') =>
        run.onEvent?.({ migrationId: '', address: op.address, step: ENABLE_STEP, event: e, at: '' });
      event('started');
      try {
        await engine.enableHybridMailFlow({ address: op.address, ou: op.ou! });
      } catch (error) {
        event('failed');
        throw error;
      }
      event('completed');
      return { id: undefined, status: 'completed', findings: 0 };
    }
  }
}

/** Continues an operation that ended open (or whose end was never recorded: `id` undefined, found in the store). */
export async function continueOperation(
  engine: MigrationEngine,
  op: Operation,
  id: string | undefined,
): Promise<Ended> {
  switch (op.kind) {
    case 'recreate':
    case 'convert': {
      const outcome = await engine.resume(id!);
      return {
        id,
        status: outcome.status,
        findings: outcome.report.findings.length,
        needsAction: needsAction(outcome),
      };
    }
    case 'restore':
    case 'restore-convert':
      return startOperation(engine, op);
    case 'update-address': {
      const outcome = await engine.resumeAddressUpdate(id!);
      return { id, status: outcome.status, findings: 0 };
    }
    case 'enable-hybrid':
      return startOperation(engine, op);
  }
}

/**
 * Where an operation stands when its run ended without an answer (a state-store fault, or a kill): the open migration
 * or address update the store holds for the group, else "none" (nothing was recorded, so nothing was changed).
 */
export async function standing(state: StateStore, op: Operation): Promise<Ended> {
  switch (op.kind) {
    case 'recreate':
    case 'convert':
    case 'update-address': {
      const open = (await state.listMigrations({ group: op.address, status: HOLDING })).filter(
        (m) => (m.strategy === 'address-update') === (op.kind === 'update-address'),
      );
      return open[0] === undefined
        ? { id: undefined, status: 'none', findings: 0 }
        : { id: open[0].id, status: 'running', findings: 0 };
    }
    case 'restore':
    case 'restore-convert':
      return { id: op.migrationId, status: 'interrupted', findings: 0 };
    case 'enable-hybrid':
      return { id: undefined, status: 'interrupted', findings: 0 };
  }
}
