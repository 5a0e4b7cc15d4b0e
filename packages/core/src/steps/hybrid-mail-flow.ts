// hybrid mail flow (enableHybridMailFlow): an on-prem dynamic DL holding the original addresses whose
// filter matches exactly the routing contact, so on-prem senders (and an on-prem Exchange) still deliver to the
// address, and the mail flows on to the cloud DL. Dynamic DLs are not synced, so nothing collides in the cloud (#23).
import { parentDn, recipientsContainerOf } from '@dlmigrate/ad';
import { loadSnapshot } from '../engine/snapshot.js';
import type { MigrationStep } from './results.js';
import { cloudTarget } from '../engine/cloud-target.js';
import { optional } from '../util/optional.js';

export interface HybridMailFlowResult {
  readonly dn: string;
  readonly created: boolean;
}

export const hybridMailFlow: MigrationStep<'hybrid-mail-flow'> = {
  name: 'hybrid-mail-flow',
  enabled: (ctx) => ctx.options.hybridMailFlow && ctx.options.routingContact,
  async run(ctx, results): Promise<HybridMailFlowResult> {
    const { ad, state } = ctx.deps;
    const group = (await loadSnapshot(state, ctx.migration.id)).onPrem.group!;
    const mail = group.mail ?? ctx.migration.group.address;
    const existing = (await ad.findByAddress(mail)).find(
      (m) => m.objectClass.toLowerCase() === 'msexchdynamicdistributionlist',
    );
    if (existing !== undefined) return { dn: existing.dn, created: false };
    const contact = results.get('routing-contact')!;
    const created = await ad.createHybridDynamicGroup({
      parentDn: group.parentDn,
      cn: group.cn,
      displayName: group.displayName ?? group.name,
      mailNickname: group.mailNickname ?? mail.split('@')[0]!,
      mail,
      proxyAddresses: group.proxyAddresses.map((p) => p.raw),
      ...(group.legacyExchangeDN === undefined ? {} : { legacyExchangeDN: group.legacyExchangeDN }),
      cloudId: cloudTarget(results).identity,
      routingAddress: cloudTarget(results).routingAddress,
      recipientContainerDn: parentDn(contact.dn),
      requireAuthToSendTo: group.settings.requireAuthToSendTo ?? false,
      ...optional('hiddenFromAddressLists', group.settings.hiddenFromAddressLists),
      // What Exchange would stamp on a recipient it creates, and the original's own settings where it had them.
      ...optional('legacyExchangeDnContainer', recipientsContainerOf(group.legacyExchangeDN)),
      ...optional('showInAddressBook', group.showInAddressBook),
      ...optional('reportToOriginator', group.settings.reportToOriginator),
      ...optional('reportToOwner', group.settings.reportToOwner),
      ...optional('oofReplyToOriginator', group.settings.oofReplyToOriginator),
      ...optional('moderationFlags', group.settings.moderationFlags),
    });
    return { dn: created.dn, created: true };
  },
};
