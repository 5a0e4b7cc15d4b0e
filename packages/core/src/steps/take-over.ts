// Step 6 — take over: once the synced group is gone, the temporary DL takes its identity — every address (on-prem
// proxies ∪ cloud addresses, X500 of both legacyExchangeDNs, a routing address), the primary SMTP address, name,
// alias and display name — and Exchange is watched until it shows them (with a deadline, #184). An address held by
// another object is reported naming the holder. Undo: remove the DL, so the original can be synced back.
import { ExoAddressExistsError } from '@dlmigrate/exo';
import type { MigrationContext } from '../engine/context.js';
import { loadSnapshot } from '../engine/snapshot.js';
import { finding, FindingsError } from '../findings/finding.js';
import { freeRoutingAddresses } from '../engine/free-routing-address.js';
import { missingAddresses, routingAddressIn, takeOverAddresses } from '../mapping/addresses.js';
import { withAffixes } from '../mapping/names.js';
import type { SagaStep } from '../saga/runner.js';
import { pollUntil } from '../util/poll.js';
import { tolerant } from '../util/transient.js';
import { stage, type StageResult } from './stage.js';
import type { ValidateResult } from './validate.js';

export interface TakeOverResult {
  readonly addresses: readonly string[];
  readonly routingAddress: string;
  readonly name: string;
}

export const takeOver: SagaStep<MigrationContext> = {
  name: 'take-over',
  async run(ctx, results): Promise<TakeOverResult> {
    const { exchange, state } = ctx.deps;
    const snapshot = await loadSnapshot(state, ctx.migration.id);
    const group = snapshot.onPrem.group!;
    const cloud = snapshot.cloud.group;
    const staged = results.get('stage') as StageResult;
    const { routingDomain } = results.get('validate') as ValidateResult;
    const mail = group.mail ?? ctx.migration.group.address;
    const alias = group.mailNickname ?? cloud?.alias ?? mail.split('@')[0]!;

    const existingRouting = routingAddressIn(
      [...group.proxyAddresses.map((p) => p.raw), ...(cloud?.emailAddresses ?? [])],
      routingDomain,
    );
    const routingAddress =
      existingRouting ??
      (await firstOf(freeRoutingAddresses(exchange, alias, routingDomain, staged.identity)));
    const addresses = takeOverAddresses({
      mail,
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

    try {
      await exchange.setDistributionGroup(staged.identity, { EmailAddresses: addresses });
    } catch (error) {
      if (error instanceof ExoAddressExistsError) {
        throw new FindingsError([
          finding(
            'ADDRESS_HELD_BY_OTHER_OBJECT',
            error.address ?? mail,
            `held by ${error.holder ?? 'another Exchange Online object'}`,
          ),
        ]);
      }
      throw error;
    }
    await exchange.setDistributionGroup(staged.identity, {
      Name: name,
      Alias: alias,
      DisplayName: displayName,
    });

    const minutes = ctx.options.deadlines.takeOverMinutes;
    const converged = await pollUntil(
      tolerant(() => exchange.getDistributionGroup(staged.identity), null),
      (dl) =>
        dl !== null &&
        dl.primarySmtpAddress.toLowerCase() === mail.toLowerCase() &&
        missingAddresses(addresses, dl.emailAddresses).length === 0,
      { deadlineMs: minutes * 60_000, initialDelayMs: 1_000, maxDelayMs: 30_000, clock: ctx.clock },
    );
    if (!converged.satisfied) {
      const missing =
        converged.value === null ? addresses : missingAddresses(addresses, converged.value.emailAddresses);
      throw new FindingsError([
        finding(
          'TAKE_OVER_NOT_CONVERGED',
          mail,
          `after ${minutes} minutes Exchange Online still lacks ${missing.join(', ') || 'the primary address'}`,
        ),
      ]);
    }
    return { addresses, routingAddress, name };
  },
  // The DL now carries the original addresses: it must go before the original can be synced back.
  undo: (ctx, results, data) => stage.undo!(ctx, results, data),
};

/** The first value of an endless sequence. */
async function firstOf(values: AsyncGenerator<string>): Promise<string> {
  for await (const value of values) return value;
  throw new Error('unreachable: the candidate sequence is infinite');
}
