// routing contact (on by default): an on-prem mail contact `<name>-MigratedByScript` in the group's
// original OU whose targetAddress is the new DL's routing address. It syncs to the cloud, so on-prem objects can keep
// "containing" the migrated DL, and it carries the markers later migrations recognise (ext1/ext2).
import { recipientsContainerOf, routingContactNames } from '@dlmigrate/ad';
import { loadSnapshot } from '../engine/snapshot.js';
import type { MigrationStep } from './results.js';
import { cloudTarget } from '../engine/cloud-target.js';
import { optional } from '../util/optional.js';

export interface RoutingContactResult {
  readonly dn: string;
  readonly mail: string;
  readonly created: boolean;
}

export const routingContact: MigrationStep<'routing-contact'> = {
  name: 'routing-contact',
  enabled: (ctx) => ctx.options.routingContact,
  async run(ctx, results): Promise<RoutingContactResult> {
    const { ad, state } = ctx.deps;
    const group = (await loadSnapshot(state, ctx.migration.id)).onPrem.group!;
    const target = cloudTarget(results);
    const names = routingContactNames({
      cn: group.cn,
      mail: group.mail ?? ctx.migration.group.address,
      ...(group.displayName === undefined ? {} : { displayName: group.displayName }),
      ...(group.mailNickname === undefined ? {} : { mailNickname: group.mailNickname }),
    });
    // A resumed run (or an earlier attempt) may already have created it: the address says so.
    const existing = (await ad.findByAddress(names.mail)).find((m) => !m.isGroup);
    if (existing !== undefined) return { dn: existing.dn, mail: names.mail, created: false };
    const created = await ad.createRoutingContact({
      parentDn: group.parentDn,
      ...names,
      targetAddress: `SMTP:${target.routingAddress}`.toUpperCase(),
      cloudId: target.identity,
      description:
        'Mail contact created when the group was migrated to Exchange Online by dlmigrate. DO NOT DELETE.',
      givenName: group.name,
      ...optional('legacyExchangeDnContainer', recipientsContainerOf(group.legacyExchangeDN)),
    });
    return { dn: created.dn, mail: names.mail, created: true };
  },
};
