// Points the Exchange configuration that named the old group at the new one (issue 16): each container is re-read
// from the tenant, rewritten only where it still names the old group and not yet the new one, and checked again.
// Every write is kept with the value it replaced, so the journal can tell what changed and restore can undo it.
import { ExoError, type ExchangeOnline } from '@dlmigrate/exo';
import { exchangeCommand } from './commands.js';
import type { ExchangeReference } from './exchange.js';
import type { GroupIdentity } from './identity.js';
import { LiveReader, liveNames, rewrittenValue, type LiveValue } from './live.js';
import { isTransient } from '../util/transient.js';

export type RewriteOutcome =
  /** The container names the target already (e.g. a rule keeps the address the new group took over). */
  | 'already-right'
  | 'rewired'
  /** The container is gone, or no longer names the old group: nothing to do. */
  | 'no-longer-referenced'
  | 'failed';

export interface ConfigRewrite {
  readonly reference: ExchangeReference;
  readonly outcome: RewriteOutcome;
  /** The value before the write (rewired / failed). */
  readonly before?: string | readonly string[] | null;
  /** The value written (rewired) or that should be (failed). */
  readonly after?: string | readonly string[] | null;
  /** What an administrator runs when the write failed. */
  readonly command?: string;
  readonly error?: string;
}

function valueOf(live: LiveValue): string | readonly string[] | null {
  switch (live.shape) {
    case 'list':
      return live.values;
    case 'single':
      return live.value;
    case 'filter':
      return live.filter;
    case 'gone':
      return null;
  }
}

/** Gives `reference`'s container the value(s) `next` (a rewire, or its undo with the value it replaced). */
export async function writeConfigValue(
  exchange: ExchangeOnline,
  reference: ExchangeReference,
  next: string | readonly string[] | null,
) {
  const config = exchange.configuration;
  const { identity } = reference.container;
  switch (reference.kind) {
    case 'transport-rule':
      return config.setTransportRuleRecipients(
        identity,
        reference.property,
        (next ?? []) as readonly string[],
      );
    case 'journal-rule':
      return config.setJournalRuleRecipient(identity, next as string | null);
    case 'dynamic-group-filter':
      return config.setDynamicDistributionGroupFilter(identity, next as string);
    case 'address-list-filter':
      return config.setAddressListFilter(
        identity,
        reference.container.listKind ?? 'address-list',
        next as string,
      );
    case 'calendar-processing':
      return config.setCalendarProcessing(identity, {
        [reference.property]: (next ?? []) as readonly string[],
      });
  }
}

/** One reference per container and property: several values naming the old group are rewritten in one write. */
export function onePerContainer(references: readonly ExchangeReference[]): ExchangeReference[] {
  const seen = new Map<string, ExchangeReference>();
  for (const r of references) {
    const key = `${r.kind}|${r.container.identity.toLowerCase()}|${r.property}`;
    if (!seen.has(key)) seen.set(key, r);
  }
  return [...seen.values()];
}

export interface RewireHooks {
  /** Called before each write with the value it replaces: where the caller journals it, for the undo. */
  beforeWrite?(
    reference: ExchangeReference,
    before: string | readonly string[] | null,
    next: string | readonly string[] | null,
  ): Promise<void>;
}

/**
 * Makes every container of `references` name `target` where it named `old`. Failures are returned (with the command
 * to run by hand), never thrown: one read-only rule must not stop the others.
 */
export async function pointConfigReferencesAt(
  exchange: ExchangeOnline,
  references: readonly ExchangeReference[],
  old: GroupIdentity,
  target: GroupIdentity,
  hooks: RewireHooks = {},
): Promise<ConfigRewrite[]> {
  const reader = new LiveReader(exchange);
  const out: ConfigRewrite[] = [];
  for (const reference of onePerContainer(references)) {
    let before: LiveValue;
    try {
      before = await reader.read(reference);
    } catch (error) {
      // Throttled or unreachable past the client's retry budget is not an answer: the step fails and is retried.
      if (!(error instanceof ExoError) || isTransient(error)) throw error;
      out.push({ reference, outcome: 'failed', error: error.message });
      continue;
    }
    if (liveNames(reference, before, target)) {
      out.push({ reference, outcome: 'already-right' });
      continue;
    }
    const next = rewrittenValue(reference, before, old, target);
    if (next === undefined) {
      out.push({ reference, outcome: 'no-longer-referenced', before: valueOf(before) });
      continue;
    }
    const command = exchangeCommand(reference, next);
    try {
      await hooks.beforeWrite?.(reference, valueOf(before), next);
      await writeConfigValue(exchange, reference, next);
      reader.forget();
      const after = await reader.read(reference);
      out.push(
        liveNames(reference, after, target)
          ? { reference, outcome: 'rewired', before: valueOf(before), after: next }
          : {
              reference,
              outcome: 'failed',
              before: valueOf(before),
              after: next,
              command,
              error: 'the write was accepted but the container still does not name the new group',
            },
      );
    } catch (error) {
      // Throttled or unreachable past the client's retry budget is not an answer: the step fails and is retried.
      if (!(error instanceof ExoError) || isTransient(error)) throw error;
      out.push({
        reference,
        outcome: 'failed',
        before: valueOf(before),
        after: next,
        command,
        error: error.message,
      });
    }
  }
  return out;
}
