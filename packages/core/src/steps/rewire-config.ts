// rewire config (recreate, right after take-over): the Exchange configuration that named the synced group
// (transport rules, journal rules, dynamic group and address list filters, booking policies; found by capture,
// references/capture.ts) is pointed at the new group where it does not name it already, and re-read to confirm.
// Each write is journaled first with the value it replaces (a write-once backup per container), so the undo — and
// an undo after a crash half-way — puts exactly those values back. What Exchange refused is reported with the
// command an administrator runs; it never stops the migration.
import { ExoError } from '@dlmigrate/exo';
import type { MigrationContext } from '../engine/context.js';
import { captureOnce } from '../engine/snapshot.js';
import { finding } from '../findings/finding.js';
import { CoreError } from '../errors/core-error.js';
import { exchangeCommand, describeExchangeReference } from '../references/commands.js';
import { loadReferences } from '../references/capture.js';
import type { ExchangeReference } from '../references/exchange.js';
import { groupIdentityOf, names, type GroupIdentity } from '../references/identity.js';
import { REWIRE_CONFIG_STEP } from '../references/plan.js';
import {
  onePerContainer,
  pointConfigReferencesAt,
  writeConfigValue,
  type ConfigRewrite,
  type RewriteOutcome,
} from '../references/rewire.js';
import type { MigrationStep } from './results.js';
import { errorText } from './stage.js';
import { isTransient } from '../util/transient.js';
import { parseStored } from '../stored/parse.js';
import { configWriteSchema } from '../references/capture-schema.js';

type ConfigValue = string | readonly string[] | null;

export interface RewireConfigResult {
  /** The new group as the containers now name it (what verify expects them to name). */
  readonly target: GroupIdentity | null;
  readonly outcomes: readonly {
    readonly reference: ExchangeReference;
    readonly outcome: RewriteOutcome;
    readonly before?: ConfigValue;
    readonly after?: ConfigValue;
  }[];
  readonly rewired: number;
  readonly failed: number;
}

/** The journal of one write: the container and the value it held before. */
interface WriteJournal {
  readonly reference: ExchangeReference;
  readonly before: ConfigValue;
}

const JOURNAL_PREFIX = 'config-rewire-';

function journalKind(references: readonly ExchangeReference[], reference: ExchangeReference): string {
  return `${JOURNAL_PREFIX}${references.indexOf(reference)}`;
}

/** Notes each rewrite Exchange refused (needs-action, with the command to run); returns how many. */
export async function noteFailedRewrites(
  ctx: MigrationContext,
  step: string,
  rewrites: readonly ConfigRewrite[],
): Promise<number> {
  const failed = rewrites.filter((r) => r.outcome === 'failed');
  for (const r of failed)
    await ctx.note(
      step,
      finding(
        'CONFIG_REWIRE_FAILED',
        r.reference.container.name,
        `${describeExchangeReference(r.reference)}: ${r.error ?? 'refused'}; run: ${r.command ?? ''}`,
        r.reference.property,
      ),
    );
  return failed.length;
}

export const rewireConfig: MigrationStep<'rewire-config'> = {
  name: REWIRE_CONFIG_STEP,
  async run(ctx, results): Promise<RewireConfigResult> {
    const { exchange, state } = ctx.deps;
    const id = ctx.migration.id;
    const { config } = await loadReferences(state, id);
    const references = onePerContainer(config?.references ?? []);
    if (config === null || references.length === 0)
      return { target: null, outcomes: [], rewired: 0, failed: 0 };
    const staged = results.get('stage')!;
    const recipient = await exchange.getRecipient(staged.identity);
    if (recipient === null)
      throw new CoreError(
        'CORE_CLOUD_GROUP_MISSING',
        `the new group ${staged.identity} is not in Exchange Online`,
      );
    const target = groupIdentityOf(recipient);

    const rewrites = await pointConfigReferencesAt(exchange, references, config.old, target, {
      // Write-once: a run after a crash keeps the value the first run replaced, not its own earlier write.
      beforeWrite: async (reference, before) =>
        void (await captureOnce<WriteJournal>(state, id, journalKind(references, reference), () =>
          Promise.resolve({ reference, before }),
        )),
    });
    const failed = await noteFailedRewrites(ctx, REWIRE_CONFIG_STEP, rewrites);
    const rewired = rewrites.filter((r) => r.outcome === 'rewired').length;
    return {
      target,
      outcomes: rewrites.map(({ reference, outcome, before, after }) => ({
        reference,
        outcome,
        ...(before === undefined ? {} : { before }),
        ...(after === undefined ? {} : { after }),
      })),
      rewired,
      failed,
    };
  },
  /**
   * Puts back every journaled value (the step may have crashed half-way, so the journal, not the result, says what
   * was written) — except the deleted group's LegacyExchangeDNs in booking lists, which Exchange no longer resolves:
   * park's undo adds the group the sync re-creates there (as it re-points every container at it). Addresses and
   * filters go back as they were: a rule's recipient list must never be left empty (an empty condition would make
   * the rule apply to everyone). What Exchange refuses is reported with the command.
   */
  async undo(ctx) {
    const { exchange, state } = ctx.deps;
    const { config } = await loadReferences(state, ctx.migration.id);
    const journal = await state.listBackups(ctx.migration.id, JOURNAL_PREFIX);
    for (const backup of journal) {
      const { reference, before } = parseStored(
        configWriteSchema,
        backup.data,
        `the journaled write ${backup.kind} of migration ${ctx.migration.id}`,
      );
      const value =
        reference.storedAs === 'legacy-dn' && Array.isArray(before) && config !== null
          ? (before as readonly string[]).filter((v) => !names(config.old, 'legacy-dn', v))
          : before;
      try {
        await writeConfigValue(exchange, reference, value);
      } catch (error) {
        // Throttled or unreachable past the client's retry budget is not an answer: the step fails and is retried.
        if (!(error instanceof ExoError) || isTransient(error)) throw error;
        await ctx.note(
          REWIRE_CONFIG_STEP,
          finding(
            'CONFIG_REWIRE_FAILED',
            reference.container.name,
            `undo: ${describeExchangeReference(reference)}: ${errorText(error)}; run: ${exchangeCommand(reference, value)}`,
            reference.property,
          ),
        );
      }
    }
  },
};
