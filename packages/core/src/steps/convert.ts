// convert (strategy convert): in-place conversion (Graph onPremisesSyncBehavior.isCloudManaged = true) — the synced
// group becomes cloud-managed where it is, with its identity, addresses and permissions untouched, and the sync leaves
// it alone from now on. Waits (with a deadline) until Exchange Online shows it as no longer synced, and makes sure it has a
// routing address. Undo: hand the group back to the directory (isCloudManaged = false) and let the sync run.
import { addRemove } from '@dlmigrate/exo';
import type { CloudTarget } from '../engine/cloud-target.js';
import { loadSnapshot } from '../engine/snapshot.js';
import { finding, FindingsError } from '../findings/finding.js';
import { freeRoutingAddresses } from '../engine/free-routing-address.js';
import { routingAddressIn } from '../mapping/addresses.js';
import type { MigrationStep } from './results.js';
import { pollUntil } from '../util/poll.js';
import { tolerant } from '../util/transient.js';

export const convert: MigrationStep<'convert'> = {
  name: 'convert',
  async run(ctx, results): Promise<CloudTarget> {
    const { exchange, graph, state } = ctx.deps;
    const synced = (await loadSnapshot(state, ctx.migration.id)).cloud.group!;
    const id = synced.externalDirectoryObjectId;
    await graph.setOnPremisesSyncBehavior(id, true);
    const minutes = ctx.options.deadlines.conversionMinutes;
    const done = await pollUntil(
      tolerant(() => exchange.getDistributionGroup(id), null),
      (dl) => dl !== null && !dl.isDirSynced,
      {
        deadlineMs: minutes * 60_000,
        initialDelayMs: 1_000,
        maxDelayMs: 30_000,
        clock: ctx.clock,
        signal: ctx.signal,
      },
    );
    if (!done.satisfied)
      throw new FindingsError([
        finding(
          'CONVERSION_NOT_CONFIRMED',
          ctx.migration.group.address,
          `still directory-synced after ${minutes} minutes`,
        ),
      ]);
    const dl = done.value!;
    const { routingDomain } = results.get('validate')!;
    let routingAddress = routingAddressIn(dl.emailAddresses, routingDomain);
    if (routingAddress === undefined) {
      for await (const candidate of freeRoutingAddresses(exchange, dl.alias, routingDomain)) {
        await exchange.setDistributionGroup(id, {
          EmailAddresses: addRemove({ add: [`smtp:${candidate}`] }),
        });
        routingAddress = candidate;
        break;
      }
    }
    return { identity: id, routingAddress: routingAddress! };
  },
  async undo(ctx) {
    const synced = (await loadSnapshot(ctx.deps.state, ctx.migration.id)).cloud.group!;
    const behaviour = await ctx.deps.graph.getOnPremisesSyncBehavior(synced.externalDirectoryObjectId);
    if (behaviour?.isCloudManaged === true)
      await ctx.deps.graph.setOnPremisesSyncBehavior(synced.externalDirectoryObjectId, false);
    await ctx.deps.sync.trigger();
  },
};
