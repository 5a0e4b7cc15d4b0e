// take over: once the synced group is gone, the temporary DL takes its identity — every address (on-prem
// proxies ∪ cloud addresses, X500 of both legacyExchangeDNs, a routing address), the primary SMTP address, name,
// alias and display name — and Exchange is watched until it shows them (with a deadline, #184). An address held by
// another object is reported naming the holder; one still held by the group just deleted is retried for a while
// (engine/address-conflict.ts). Undo: remove the DL, so the original can be synced back.
import { ExoAddressExistsError, urgently } from '@dlmigrate/exo';
import type { MigrationContext } from '../engine/context.js';
import { loadSnapshotPart } from '../engine/snapshot.js';
import { finding, FindingsError } from '../findings/finding.js';
import { classifyAddressConflict, liveHolderAmong, type DeletedHolder } from '../engine/address-conflict.js';
import { freeRoutingAddresses } from '../engine/free-routing-address.js';
import {
  chosenPrimary,
  missingAddresses,
  routingAddressIn,
  takeOverAddresses,
} from '../mapping/addresses.js';
import { withAffixes } from '../mapping/names.js';
import type { MigrationResults, MigrationStep } from './results.js';
import { pollUntil, sleepUnlessStopped, StopRequested } from '../util/poll.js';
import { tolerant } from '../util/transient.js';
import { stage } from './stage.js';

export interface TakeOverResult {
  readonly addresses: readonly string[];
  readonly routingAddress: string;
  readonly name: string;
  /** The primary SMTP address it took (absent in results of older runs: the on-prem mail). */
  readonly primary?: string;
  /** When Exchange Online was first seen showing every address (the end of the group's outage window). */
  readonly convergedAt?: string;
  /** How often the address write met the deleted group's address quarantine and was retried. */
  readonly conflictRetries?: number;
}

/** How long a take-over waits for a deleted holder's addresses to be released (DLConversionV2: 10 × 10 s). */
const QUARANTINE_WAIT_MS = 120_000;
const QUARANTINE_FIRST_DELAY_MS = 500;
const QUARANTINE_MAX_DELAY_MS = 10_000;

export const takeOver: MigrationStep<'take-over'> = {
  name: 'take-over',
  // The priority lane (exo rate/priority.ts): the group's addresses have no recipient until this step is done, so
  // its calls go ahead of every other group's later steps.
  run: (ctx, results) => urgently(() => takeOverNow(ctx, results)),
  // The DL now carries the original addresses: it must go before the original can be synced back.
  undo: (ctx, results) => stage.undo!(ctx, results, undefined),
};

async function takeOverNow(ctx: MigrationContext, results: MigrationResults): Promise<TakeOverResult> {
  const { exchange, state } = ctx.deps;
  // The two parts it uses, read together (not the whole snapshot: a wave's groups take over at once, issue 15).
  const [onPrem, synced] = await Promise.all([
    loadSnapshotPart(state, ctx.migration.id, 'onPrem'),
    loadSnapshotPart(state, ctx.migration.id, 'cloud'),
  ]);
  const group = onPrem.group!;
  const cloud = synced.group;
  const staged = results.get('stage')!;
  const { routingDomain } = results.get('validate')!;
  const mail = group.mail ?? ctx.migration.group.address;
  const alias = group.mailNickname ?? cloud?.alias ?? mail.split('@')[0]!;

  const existingRouting = routingAddressIn(
    [...group.proxyAddresses.map((p) => p.raw), ...(cloud?.emailAddresses ?? [])],
    routingDomain,
  );
  const routingAddress =
    existingRouting ?? (await firstOf(freeRoutingAddresses(exchange, alias, routingDomain, staged.identity)));
  const primary = chosenPrimary(
    mail,
    group.proxyAddresses.map((p) => p.raw),
    cloud?.primarySmtpAddress,
  );
  const addresses = takeOverAddresses({
    mail,
    primary,
    onPremProxies: group.proxyAddresses.map((p) => p.raw),
    onPremLegacyExchangeDn: group.legacyExchangeDN,
    cloudAddresses: cloud?.emailAddresses ?? [],
    cloudLegacyExchangeDn: cloud?.legacyExchangeDN,
    routingDomain,
    routingAddress,
  });
  const affixes = { prefix: ctx.options.namePrefix, suffix: ctx.options.nameSuffix };
  const name = withAffixes(group.name, affixes);
  const displayName = withAffixes(group.displayName ?? cloud?.displayName ?? group.name, affixes);

  // The identity goes in the same call as the addresses: every call between the deletion and the convergence check
  // lengthens the outage, and in a batch wave hundreds of groups take over at once, sharing the tenant's calls in
  // flight (issue 15). A write retried while the addresses are quarantined sets the names again, which is harmless.
  const conflictRetries = await setAddressesOnceFree(
    ctx,
    staged.identity,
    { Name: name, Alias: alias, DisplayName: displayName },
    addresses,
    primary,
    cloud ?? null,
  );

  const minutes = ctx.options.deadlines.takeOverMinutes;
  const reads = ctx.deps.distributionGroupReads;
  const converged = await pollUntil(
    tolerant(
      () =>
        reads === undefined ? exchange.getDistributionGroup(staged.identity) : reads.get(staged.identity),
      null,
    ),
    (dl) =>
      dl !== null &&
      dl.primarySmtpAddress.toLowerCase() === primary.toLowerCase() &&
      missingAddresses(addresses, dl.emailAddresses).length === 0,
    {
      deadlineMs: minutes * 60_000,
      initialDelayMs: 1_000,
      maxDelayMs: 30_000,
      clock: ctx.clock,
      signal: ctx.signal,
    },
  );
  if (!converged.satisfied) {
    const missing =
      converged.value === null ? addresses : missingAddresses(addresses, converged.value.emailAddresses);
    throw new FindingsError([
      finding(
        'TAKE_OVER_NOT_CONVERGED',
        primary,
        `after ${minutes} minutes Exchange Online still lacks ${missing.join(', ') || 'the primary address'}`,
      ),
    ]);
  }
  return {
    addresses,
    routingAddress,
    name,
    primary,
    convergedAt: new Date(ctx.clock.now()).toISOString(),
    conflictRetries,
  };
}

/**
 * Writes the addresses (with `names`: the name, alias and display name); an address still held by the group just
 * deleted (or by nobody visible) is retried with backoff until QUARANTINE_WAIT_MS, an address a live other object
 * holds fails at once naming it. Returns the retries.
 */
async function setAddressesOnceFree(
  ctx: MigrationContext,
  identity: string,
  names: { readonly Name: string; readonly Alias: string; readonly DisplayName: string },
  addresses: readonly string[],
  mail: string,
  deleted: DeletedHolder | null,
): Promise<number> {
  const { exchange } = ctx.deps;
  const started = ctx.clock.now();
  let delay = QUARANTINE_FIRST_DELAY_MS;
  for (let retries = 0; ; retries++) {
    try {
      await exchange.setDistributionGroup(identity, { ...names, EmailAddresses: addresses });
      return retries;
    } catch (error) {
      if (!(error instanceof ExoAddressExistsError)) throw error;
      const conflict = await classifyAddressConflict(exchange, error, deleted, identity);
      const address = error.address ?? mail;
      if (conflict.kind === 'held')
        throw new FindingsError([
          finding('ADDRESS_HELD_BY_OTHER_OBJECT', address, `held by ${conflict.holder}`),
        ]);
      if (retries === 0) {
        // Before waiting: is a lasting conflict hidden behind the quarantined address the service named?
        const live = await liveHolderAmong(exchange, addresses, identity);
        if (live !== null)
          throw new FindingsError([
            finding('ADDRESS_HELD_BY_OTHER_OBJECT', live.address, `held by ${live.holder}`),
          ]);
      }
      const waited = ctx.clock.now() - started;
      if (waited + delay > QUARANTINE_WAIT_MS) {
        throw new FindingsError([
          finding(
            'ADDRESS_STILL_QUARANTINED',
            address,
            `still held by ${conflict.holder} after ${Math.round(waited / 1000)} s of retries`,
          ),
        ]);
      }
      await sleepUnlessStopped(ctx.clock, delay, ctx.signal);
      if (ctx.signal?.aborted) throw new StopRequested(ctx.signal.reason);
      delay = Math.min(QUARANTINE_MAX_DELAY_MS, delay * 2);
    }
  }
}

/** The first value of an endless sequence. */
async function firstOf(values: AsyncGenerator<string>): Promise<string> {
  for await (const value of values) return value;
  throw new Error('unreachable: the candidate sequence is infinite');
}
