// Hybrid mail flow after the fact (docs/reference-behaviour.md#hybrid-mail-flow-after-the-fact): for a DL that is already cloud-managed (migrated without hybrid
// mail flow, its on-prem objects deleted, or from another forest), build — or repair — the on-prem routing contact
// and the dynamic DL holding its addresses, from the cloud object. Every part is looked up first, so running it again
// finishes what an interrupted run started.
import { normalizeSmtpAddress, parentDn, recipientsContainerOf, routingContactNames } from '@dlmigrate/ad';
import { addRemove, ExoError, cloudIdentity } from '@dlmigrate/exo';
import type { EngineDeps } from '../engine/context.js';
import { finding, FindingsError } from '../findings/finding.js';
import { freeRoutingAddresses } from '../engine/free-routing-address.js';
import { isAtDomain, routingAddressIn } from '../mapping/addresses.js';
import { optional } from '../util/optional.js';
import { StopRequested } from '../util/poll.js';

function stopIfAsked(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new StopRequested(signal.reason);
}

export interface EnableHybridInput {
  /** The cloud DL's address. */
  readonly address: string;
  /** Where to create the contact and the dynamic DL when no contact exists yet. */
  readonly ou: string;
  readonly customRoutingDomain?: string;
  /**
   * Ctrl-C / SIGTERM: the write in flight finishes, the next one is not made (StopRequested). Nothing is journaled:
   * every part is looked up first, so running enable again finishes what the stopped run started.
   */
  readonly signal?: AbortSignal;
}

export interface EnableHybridResult {
  readonly contactDn: string;
  readonly dynamicGroupDn: string;
  readonly routingAddress: string;
  readonly created: {
    readonly contact: boolean;
    readonly dynamicGroup: boolean;
    readonly routingAddress: boolean;
  };
}

export async function enableHybridMailFlow(
  deps: Pick<EngineDeps, 'ad' | 'exchange'>,
  input: EnableHybridInput,
): Promise<EnableHybridResult> {
  const { ad, exchange } = deps;
  const address = normalizeSmtpAddress(input.address);
  const dl = await exchange.getDistributionGroup(address);
  if (dl === null)
    throw new FindingsError([
      finding('CLOUD_GROUP_NOT_FOUND', address, 'no distribution group has this address in Exchange Online'),
    ]);
  if (dl.isDirSynced) {
    throw new FindingsError([
      finding(
        'CLOUD_GROUP_WRONG_TYPE',
        address,
        'the group is still synced from on-premises; migrate it first',
      ),
    ]);
  }
  const routingDomain = input.customRoutingDomain ?? (await exchange.getRoutingDomain());
  if (routingDomain === null)
    throw new FindingsError([
      finding('NO_ROUTING_DOMAIN', 'accepted domains', 'no *.mail.onmicrosoft.com domain found'),
    ]);
  const identity = cloudIdentity(dl);

  // The routing address: the DL's own at the routing domain, or a free one stamped on it now.
  let routingAddress = routingAddressIn(dl.emailAddresses, routingDomain);
  let stamped = false;
  if (routingAddress === undefined) {
    stopIfAsked(input.signal);
    for await (const candidate of freeRoutingAddresses(exchange, dl.alias, routingDomain)) {
      try {
        await exchange.setDistributionGroup(identity, {
          EmailAddresses: addRemove({ add: [`smtp:${candidate}`] }),
        });
      } catch (error) {
        if (error instanceof ExoError && error.code === 'EXO_ADDRESS_EXISTS') continue;
        throw error;
      }
      routingAddress = candidate;
      stamped = true;
      break;
    }
  }

  const mail = dl.primarySmtpAddress;
  const names = routingContactNames({
    cn: dl.name,
    displayName: dl.displayName,
    mailNickname: dl.alias,
    mail,
  });
  const existingContact = (await ad.findByAddress(names.mail)).find((m) => !m.isGroup);
  // An existing contact decides where the objects live (they must stay together, #149).
  const ou = existingContact === undefined ? input.ou : parentDn(existingContact.dn);
  if (existingContact === undefined) stopIfAsked(input.signal);
  const contactDn =
    existingContact?.dn ??
    (
      await ad.createRoutingContact({
        parentDn: ou,
        ...names,
        targetAddress: `SMTP:${routingAddress!}`.toUpperCase(),
        cloudId: identity,
        description: 'Mail contact routing to the cloud DL, created by dlmigrate. DO NOT DELETE.',
        givenName: dl.name,
        ...optional('legacyExchangeDnContainer', onPremRecipientsContainer(dl.emailAddresses)),
      })
    ).dn;

  const existingDynamic = (await ad.findByAddress(mail)).find(
    (m) => m.objectClass.toLowerCase() === 'msexchdynamicdistributionlist',
  );
  if (existingDynamic === undefined) stopIfAsked(input.signal);
  const dynamicGroupDn =
    existingDynamic?.dn ??
    (
      await ad.createHybridDynamicGroup({
        parentDn: ou,
        cn: dl.name,
        displayName: dl.displayName || dl.name,
        mailNickname: dl.alias,
        mail,
        // Addresses at the routing domain belong to the cloud DL only (not just the one routing address, unlike
        // DLConversionV2's hard-coded mail.onmicrosoft.com filter, which missed custom routing domains).
        proxyAddresses: dl.emailAddresses.filter(
          (a) => !(/^smtp:/i.test(a) && isAtDomain(a.slice(5), routingDomain)),
        ),
        cloudId: identity,
        routingAddress: routingAddress!,
        recipientContainerDn: parentDn(contactDn),
        requireAuthToSendTo: dl.requireSenderAuthenticationEnabled,
        hiddenFromAddressLists: dl.hiddenFromAddressListsEnabled,
        ...optional('legacyExchangeDnContainer', onPremRecipientsContainer(dl.emailAddresses)),
      })
    ).dn;

  return {
    contactDn,
    dynamicGroupDn,
    routingAddress: routingAddress!,
    created: {
      contact: existingContact === undefined,
      dynamicGroup: existingDynamic === undefined,
      routingAddress: stamped,
    },
  };
}

/**
 * The on-prem organisation's recipients container, from an X500 address a DL migrated from on-prem keeps
 * (`X500:/o=<org>/ou=…/cn=Recipients/cn=…`); Exchange Online's own organisation (`/o=ExchangeLabs`) is not it. The
 * administrative group of Exchange 2007 and later (FYDIBOHF23SPDLT) wins over older ones an address may still name.
 */
function onPremRecipientsContainer(addresses: readonly string[]): string | undefined {
  const containers = addresses
    .filter((a) => /^x500:/i.test(a))
    .map((a) => recipientsContainerOf(a.slice(5)))
    .filter((c): c is string => c !== undefined && !/^\/o=ExchangeLabs\//i.test(c));
  return containers.find((c) => /\(FYDIBOHF23SPDLT\)/i.test(c)) ?? containers[0];
}
