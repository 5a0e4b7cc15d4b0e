// What `plan` promises to verify: the values the verify step will compare after the migration, counted per object and
// attribute. Built by the same functions the verify step uses, with the facts only the run can know (the new DL's id,
// its routing address) stood in by what the plan already predicts.
import { childDn, routingContactNames } from '@dlmigrate/ad';
import type { Snapshot } from '../engine/snapshot.js';
import type { Validation } from '../engine/validation.js';
import { chosenPrimary, routingAddressIn, takeOverAddresses } from '../mapping/addresses.js';
import { mapGroupSettings } from '../mapping/settings.js';
import { withAffixes } from '../mapping/names.js';
import type { MigrationOptions } from '../options.js';
import { rewireAttribute } from '../steps/rewire-onprem.js';
import {
  expectedAsCaptured,
  expectedCloudDependants,
  expectedCloudGroup,
  expectedOnPremDependants,
  type MemberFacts,
} from './expected.js';
import { distinctValues, type ExpectedValue, type VerifySide } from './values.js';

export interface PlannedCheck {
  readonly side: VerifySide;
  readonly object: string;
  readonly attribute: string;
  /** How many values of this attribute verify will compare. */
  readonly values: number;
  /**
   * 'final-sync': a synced copy in Exchange Online of an on-premises dependant, compared once the final directory sync
   * has exported the routing contact (synced-dependants.ts); absent for the values verify compares as soon as the
   * migration's own writes are done.
   */
  readonly after?: 'final-sync';
}

/** An on-premises dependant's synced copy verify will read after the final sync (locateSyncedDependants). */
export interface PlannedSyncedCopy {
  readonly dn: string;
  readonly attribute: string;
}

/** How plan labels the new DL and its own entries in its lists: by the group's mail (verify: the address it ends with). */
export function plannedMemberFacts(snapshot: Snapshot): MemberFacts {
  const label = snapshot.onPrem.group?.mail ?? '';
  return { label, selfForms: [label] };
}

export function plannedChecks(
  snapshot: Snapshot,
  validation: Validation,
  options: MigrationOptions,
  syncedCopies: readonly PlannedSyncedCopy[],
  /**
   * How many members verify will check (verify/expected-members.ts): a recreate's captured members
   * (capturedMemberChecks, labelled by plannedMemberFacts), a conversion's synced ones (syncedMemberChecks).
   */
  members: number,
): PlannedCheck[] {
  const group = snapshot.onPrem.group;
  if (group === null || validation.cloudType === null || validation.routingDomain === null) return [];
  const label = group.mail ?? '';
  const affixes = { prefix: options.namePrefix, suffix: options.nameSuffix };
  const cloudAddresses = snapshot.cloud.group?.emailAddresses ?? [];
  const routing =
    routingAddressIn(
      [...group.proxyAddresses.map((p) => p.raw), ...cloudAddresses],
      validation.routingDomain,
    ) ?? `${group.mailNickname ?? label.split('@')[0]}@${validation.routingDomain}`;
  const primary = chosenPrimary(
    label,
    group.proxyAddresses.map((p) => p.raw),
    snapshot.cloud.group?.primarySmtpAddress,
  );
  let expected: ExpectedValue[];
  if (options.strategy === 'convert') {
    const settings = Object.keys(mapGroupSettings(group, validation.cloudType, affixes));
    expected = expectedAsCaptured(snapshot, label, [`smtp:${routing}`], settings);
  } else {
    expected = expectedCloudGroup(snapshot, options.skipNestedGroupCheck, {
      ...plannedMemberFacts(snapshot),
      name: withAffixes(group.name, affixes),
      addresses: takeOverAddresses({
        mail: label,
        primary,
        onPremProxies: group.proxyAddresses.map((p) => p.raw),
        onPremLegacyExchangeDn: group.legacyExchangeDN,
        cloudAddresses,
        cloudLegacyExchangeDn: snapshot.cloud.group?.legacyExchangeDN,
        routingDomain: validation.routingDomain,
        routingAddress: routing,
      }),
      primary,
      cloudType: validation.cloudType,
      affixes,
    });
  }
  expected.push(...expectedCloudDependants(snapshot, label));
  const synced: ExpectedValue[] = [];
  if (options.routingContact) {
    const contact = routingContactNames({ cn: group.cn, mail: label });
    const dn = childDn('CN', contact.cn, group.parentDn);
    expected.push(
      ...expectedOnPremDependants(snapshot.dependants, { dn, label: contact.mail }, rewireAttribute),
    );
    // Their synced copies in Exchange Online name the contact once the final sync exported it.
    for (const copy of syncedCopies)
      synced.push({
        side: 'cloud',
        object: copy.dn,
        attribute: copy.attribute,
        value: contact.mail,
        forms: [contact.mail],
      });
  }
  // The members first, as verify compares them (verify/member-check.ts).
  const memberChecks: PlannedCheck[] =
    members === 0 ? [] : [{ side: 'cloud', object: label, attribute: 'Members', values: members }];
  return [
    ...memberChecks,
    ...countChecks(distinctValues(expected)),
    ...countChecks(distinctValues(synced), 'final-sync'),
  ];
}

function countChecks(values: readonly ExpectedValue[], after?: 'final-sync'): PlannedCheck[] {
  const counts = new Map<string, PlannedCheck>();
  for (const e of values) {
    const key = `${e.side}\u0000${e.object}\u0000${e.attribute}`;
    const now = counts.get(key);
    counts.set(key, {
      side: e.side,
      object: e.object,
      attribute: e.attribute,
      values: (now?.values ?? 0) + 1,
      ...(after === undefined ? {} : { after }),
    });
  }
  return [...counts.values()];
}
