// The plan: every change a migration would make, in order, computed from the captured snapshot — what `plan` and
// the pre-flight show before anything is touched.
import {
  childDn,
  FORWARD_OF_BACK_LINK,
  rdnType,
  retainedName,
  retainedSamAccountName,
  routingContactNames,
} from '@dlmigrate/ad';
import { chosenPrimary, routingAddressIn, takeOverAddresses } from '../mapping/addresses.js';
import { CLOUD_PARAMETER, listIdentities, type LinkList } from '../mapping/links.js';
import { temporaryGroupName, withAffixes } from '../mapping/names.js';
import { decideRetention } from '../mapping/retention.js';
import { cloudFallbackOf, mapGroupSettings } from '../mapping/settings.js';
import type { MigrationOptions } from '../options.js';
import { membersOfChange, rewireAttribute } from '../steps/rewire-onprem.js';
import { cloudObjectOf } from './resolution.js';
import type { Snapshot } from './snapshot.js';
import type { Validation } from './validation.js';

export interface PlannedChange {
  readonly step: string;
  readonly side: 'on-premises' | 'cloud' | 'sync';
  /** The object changed (DN, address or name). */
  readonly object: string;
  /** What is done to it, in words. */
  readonly action: string;
  readonly detail?: unknown;
}

/** How the plan names the new DL in its lists (it has no identity before stage creates it). */
export function plannedSelf(migrationId: string): string {
  return `<${temporaryGroupName(migrationId)}>`;
}

/**
 * `members`: the identities stage will write as the members (engine/member-pages.ts memberIdentities, with
 * plannedSelf), read a page at a time.
 */
export function planChanges(
  migrationId: string,
  snapshot: Snapshot,
  validation: Validation,
  options: MigrationOptions,
  members: readonly string[],
): PlannedChange[] {
  const group = snapshot.onPrem.group;
  if (group === null || validation.cloudType === null || validation.routingDomain === null) return [];
  const changes: PlannedChange[] = [];
  const add = (step: string, side: PlannedChange['side'], object: string, action: string, detail?: unknown) =>
    changes.push(
      detail === undefined ? { step, side, object, action } : { step, side, object, action, detail },
    );
  const temp = temporaryGroupName(migrationId);
  const self = plannedSelf(migrationId);
  const mail = group.mail ?? '';
  const lists = (list: LinkList) =>
    listIdentities(
      validation.resolved.filter((r) => r.list === list).map((r) => r.resolution),
      self,
      cloudObjectOf(snapshot.cloudLookup),
    );

  const routing =
    routingAddressIn(
      [...group.proxyAddresses.map((p) => p.raw), ...(snapshot.cloud.group?.emailAddresses ?? [])],
      validation.routingDomain,
    ) ?? `${group.mailNickname ?? mail.split('@')[0]}@${validation.routingDomain}`;
  if (options.strategy === 'convert') {
    const id = snapshot.cloud.group?.externalDirectoryObjectId ?? mail;
    add('parity-check', 'cloud', id, 'compare every member and list with the synced cloud copy');
    add(
      'convert',
      'cloud',
      id,
      'set onPremisesSyncBehavior.isCloudManaged = true (the group stays, now managed in the cloud)',
    );
  } else {
    add(
      'stage',
      'cloud',
      temp,
      `create a ${validation.cloudType} distribution group${group.recipientTypeDetails === 268435456 ? ' (room list)' : ''}`,
    );
    add('stage', 'cloud', temp, 'replace the membership', members);
    for (const [list, parameter] of Object.entries(CLOUD_PARAMETER) as [LinkList, string][]) {
      const values = lists(list);
      if (values.length > 0) add('stage', 'cloud', temp, `set ${parameter}`, values);
    }
    const {
      Alias: _a,
      DisplayName: _d,
      ...settings
    } = mapGroupSettings(
      group,
      validation.cloudType,
      { prefix: options.namePrefix, suffix: options.nameSuffix },
      cloudFallbackOf(snapshot.cloud.group),
    );
    add('stage', 'cloud', temp, 'set the group settings', settings);
    const sendAs = lists('sendAs');
    if (sendAs.length > 0) add('stage', 'cloud', temp, 'grant Send-As', sendAs);

    if (options.strategy === 'recreate' && options.nonSyncOu !== undefined) {
      add('park', 'on-premises', group.dn, `move to ${options.nonSyncOu}`);
      if (!options.allowNonSyncedGroup)
        add(
          'await-deletion',
          'sync',
          snapshot.cloud.group?.externalDirectoryObjectId ?? mail,
          'trigger the sync and wait for the synced group to be deleted',
        );
    }
    add(
      'take-over',
      'cloud',
      temp,
      'set EmailAddresses',
      takeOverAddresses({
        mail,
        primary: chosenPrimary(
          mail,
          group.proxyAddresses.map((p) => p.raw),
          snapshot.cloud.group?.primarySmtpAddress,
        ),
        onPremProxies: group.proxyAddresses.map((p) => p.raw),
        onPremLegacyExchangeDn: group.legacyExchangeDN,
        cloudAddresses: snapshot.cloud.group?.emailAddresses ?? [],
        cloudLegacyExchangeDn: snapshot.cloud.group?.legacyExchangeDN,
        routingDomain: validation.routingDomain,
        routingAddress: routing,
      }),
    );
    add(
      'take-over',
      'cloud',
      temp,
      `rename to "${withAffixes(group.name, { prefix: options.namePrefix, suffix: options.nameSuffix })}"`,
    );
  }

  const retention = decideRetention({
    requested: options.retainOriginalGroup ? 'retain' : 'delete',
    onPremSecurity: group.groupType.security,
    permissionDependants: snapshot.dependants.filter(
      (d) => d.backLink === 'managedObjects' || d.backLink === 'msExchCoManagedObjectsBL',
    ).length,
  });
  if (retention.dispose === 'delete') add('dispose', 'on-premises', group.dn, 'delete the group');
  else {
    add(
      'dispose',
      'on-premises',
      group.dn,
      `rename to "${retainedName(group.cn)}" (sAMAccountName "${retainedSamAccountName(group.sAMAccountName)}"), mail-disable, stamp, move back to ${group.parentDn}`,
      retention.forcedBecause,
    );
  }
  const contactNames = routingContactNames({
    cn: group.cn,
    mail,
    ...(group.displayName ? { displayName: group.displayName } : {}),
    ...(group.mailNickname ? { mailNickname: group.mailNickname } : {}),
  });
  const contactDn = childDn(rdnType(group.dn), contactNames.cn, group.parentDn);
  if (options.routingContact)
    add(
      'routing-contact',
      'on-premises',
      contactDn,
      `create the routing contact ${contactNames.mail} → ${routing}`,
    );
  if (options.hybridMailFlow && options.routingContact)
    add('hybrid-mail-flow', 'on-premises', group.dn, `create a dynamic distribution group holding ${mail}`);
  for (const d of snapshot.dependants) {
    const attribute = rewireAttribute(d);
    add(
      'rewire-onprem',
      'on-premises',
      d.dn,
      attribute === undefined || !options.routingContact
        ? `needs an administrator: ${FORWARD_OF_BACK_LINK[d.backLink]} names the group`
        : `add the routing contact to ${attribute}${membersOfChange(d, group.name) === undefined ? '' : ` (was "members of" in ${d.attribute}: the group's members no longer count there, MEMBERS_OF_RESTRICTION_CHANGED)`}`,
    );
  }
  if (options.strategy === 'convert') return changes; // the cloud object is the same: cloud dependants stay as they are
  for (const d of snapshot.cloudDependants.dependants)
    add(
      'rewire-cloud',
      'cloud',
      d.recipient.primarySmtpAddress || d.recipient.name,
      `add the new group to ${d.link}`,
    );
  for (const p of snapshot.cloudDependants.sendAsAsTrustee)
    add('rewire-cloud', 'cloud', p.identity, 'grant Send-As to the new group');
  return changes;
}
