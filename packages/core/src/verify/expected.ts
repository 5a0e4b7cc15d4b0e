// What a finished migration (or restore) must show, derived from the capture alone — pure, so `plan` can state the
// same list that the verify step later checks. Values are compared in every form the system may render them in:
// Exchange renders links as names, members as recipients (id, Guid, address), directory links as DNs.
import { cloudIdentity } from '@dlmigrate/exo';
import { normalizeDn, type AdDependant, type AdGroup, type ForwardLink } from '@dlmigrate/ad';
import type {
  CloudDependant,
  DistributionGroupRecord,
  MemberRecord,
  RecipientPermissionRecord,
} from '@dlmigrate/exo';
import { LIST_PROPERTY } from '../engine/parity.js';
import { cloudObjectOf, resolveLinks, type ResolvedLink } from '../engine/resolution.js';
import type { CloudLookupCapture, Snapshot } from '../engine/snapshot.js';
import { collectedRightsToCarry, folderAttribute } from '../permissions/held.js';
import type { PermissionRecord } from '@dlmigrate/state';
import {
  CLOUD_PARAMETER,
  cloudObjectId,
  listEntries,
  type LinkList,
  type ListEntry,
} from '../mapping/links.js';
import type { CloudGroupType } from '../mapping/group-type.js';
import { cloudFallbackOf, mapGroupSettings } from '../mapping/settings.js';
import { cloudSendAs } from '../steps/stage.js';
import type { NameAffixes } from '../mapping/names.js';
import { renderedValues, type ExpectedValue, type ObservedAttribute, type ObservedEntry } from './values.js';

/** The attribute name verify uses for Send-As rights the group holds on other recipients. */
const SEND_AS_HELD = 'SendAs (held by the group)';
const LISTS = Object.keys(CLOUD_PARAMETER) as (keyof typeof CLOUD_PARAMETER)[];

/** The new (or converted) cloud group as the migration ended with it. */
export interface CloudGroupFacts {
  /** How the report names the group: its primary address. */
  readonly label: string;
  readonly name: string;
  /** Every address it must hold (with prefixes), and its primary SMTP address. */
  readonly addresses: readonly string[];
  readonly primary: string;
  readonly cloudType: CloudGroupType;
  readonly affixes: NameAffixes;
  /** Forms the group itself is rendered in (its own entries in its lists and Send-As). */
  readonly selfForms: readonly string[];
}

/**
 * The forms one entry stage wrote (mapping/links.ts listEntries) is rendered in. Compared by identity: the identity
 * stage gave Exchange, the cloud id capture's lookup found for it, and the Name and primary address Exchange answered
 * for that recipient (link lists show recipients by Name, Send-As trustees by address or Name) — not the on-prem
 * object's name: a retained group ("Sales!") or a routing contact stands for the cloud DL of an earlier migration,
 * which Exchange names "Sales". Captures taken before the lookup recorded names fall back to the on-prem name.
 */
function entryForms(lookup: CloudLookupCapture, entry: ListEntry<ResolvedLink>): string[] {
  const { identity } = entry;
  const rendered = lookup.rendered?.[identity];
  const forms = [identity, lookup.found[identity] ?? '', rendered?.name ?? '', rendered?.address ?? ''];
  for (const { object } of entry.links)
    forms.push(
      object?.mail ?? '',
      object?.lookupAddress ?? '',
      object?.userPrincipalName ?? '',
      cloudObjectId(object?.externalDirectoryObjectId) ?? '',
      lookup.rendered === undefined ? (object?.name ?? '') : '',
    );
  return [...new Set(forms.filter((f) => f !== ''))];
}

/** How a report names an entry: the cloud recipient's address when capture found it, else what the directory says. */
function entryShown(lookup: CloudLookupCapture, entry: ListEntry<ResolvedLink>): string {
  const rendered = lookup.rendered?.[entry.identity];
  if (rendered !== undefined) return rendered.address || rendered.name;
  const object = entry.links[0]?.object;
  return object?.mail ?? object?.name ?? entry.identity;
}

/** Stands for the new DL among the entries (it has no identity before stage creates it). */
const SELF = '\u0000self';

/** What the entries of a list need of the new DL: how the report names it, and the forms its own entry takes. */
export type MemberFacts = Pick<CloudGroupFacts, 'label' | 'selfForms'>;

/** The attribute verify names each of the new DL's lists by. */
const LIST_ATTRIBUTE = {
  members: 'Members',
  ...CLOUD_PARAMETER,
  sendAs: 'SendAs',
} as const satisfies Record<LinkList, string>;

/**
 * The values one list's links must show on the new DL: the same entries stage wrote (steps/stage.ts), the group's own
 * entry standing for the new DL.
 */
function expectedEntries(
  links: readonly ResolvedLink[],
  lookup: CloudLookupCapture,
  attribute: string,
  facts: MemberFacts,
): ExpectedValue[] {
  return listEntries(links, SELF, cloudObjectOf(lookup)).map((entry) =>
    entryValue(entry, lookup, attribute, facts),
  );
}

function entryValue(
  entry: ListEntry<ResolvedLink>,
  lookup: CloudLookupCapture,
  attribute: string,
  facts: MemberFacts,
): ExpectedValue {
  const self = entry.identity === SELF;
  return {
    side: 'cloud',
    object: facts.label,
    attribute,
    value: self ? facts.label : entryShown(lookup, entry),
    forms: self ? facts.selfForms : entryForms(lookup, entry),
  };
}

/** One member the new DL must hold: `key` names the cloud object it stands for (the same on every page). */
export interface ExpectedMember {
  readonly key: string;
  readonly value: ExpectedValue;
}

/**
 * The members of one page (engine/member-pages.ts) as stage wrote them (listEntries), each with the object it stands
 * for: an object named by links on two pages is one member, whose forms are those of both (verify/member-check.ts).
 */
export function expectedMemberEntries(
  page: { readonly resolved: readonly ResolvedLink[]; readonly lookup: CloudLookupCapture },
  facts: MemberFacts,
): ExpectedMember[] {
  const objectOf = cloudObjectOf(page.lookup);
  return listEntries(page.resolved, SELF, objectOf).map((entry) => ({
    // The key listEntries groups by.
    key: entry.identity === SELF ? SELF : objectOf(entry.identity),
    value: entryValue(entry, page.lookup, LIST_ATTRIBUTE.members, facts),
  }));
}

/** A member of the synced group as captured: what a conversion keeps and a restore brings back by sync. */
export function expectedSyncedMember(m: MemberRecord, label: string): ExpectedMember {
  return {
    key: m.externalDirectoryObjectId || m.guid,
    value: {
      side: 'cloud',
      object: label,
      attribute: LIST_ATTRIBUTE.members,
      value: m.primarySmtpAddress || m.name,
      forms: [m.externalDirectoryObjectId, m.guid, m.primarySmtpAddress],
    },
  };
}

/**
 * Recreate: the new DL carries the on-prem group's links, addresses and settings, mapped as stage mapped them. Its
 * members are compared a page at a time (expectedMemberEntries, verify/member-check.ts), not among these values.
 */
export function expectedCloudGroup(
  snapshot: Snapshot,
  skipNestedGroupCheck: boolean,
  facts: CloudGroupFacts,
) {
  const group = snapshot.onPrem.group!;
  const out: ExpectedValue[] = [];
  const add = (attribute: string, value: string, forms: readonly string[]) =>
    out.push({ side: 'cloud', object: facts.label, attribute, value, forms });
  const resolved = resolveLinks(group, snapshot.links, skipNestedGroupCheck);
  for (const list of [...LISTS, 'sendAs'] as const) {
    const attribute = LIST_ATTRIBUTE[list];
    for (const value of expectedEntries(
      resolved.filter((r) => r.list === list),
      snapshot.cloudLookup,
      attribute,
      facts,
    ))
      out.push(value);
  }
  for (const p of cloudSendAs(snapshot))
    if (p.original) add('SendAs', facts.label, facts.selfForms);
    else add('SendAs', p.trustee, [p.trustee, p.sid]);
  for (const address of facts.addresses) add('EmailAddresses', address, [address]);
  add('PrimarySmtpAddress', facts.primary, [facts.primary]);
  const settings = mapGroupSettings(
    group,
    facts.cloudType,
    facts.affixes,
    cloudFallbackOf(snapshot.cloud.group),
  );
  add('Name', facts.name, [facts.name]);
  for (const [parameter, value] of Object.entries(settings))
    for (const v of renderedValues(value)) add(parameter, v, [v]);
  return out;
}

/**
 * The cloud group as captured: what an in-place conversion keeps and what a restore brings back by sync. Its members
 * (expectedSyncedMember) are compared apart (verify/member-check.ts).
 */
export function expectedAsCaptured(
  snapshot: Snapshot,
  label: string,
  extraAddresses: readonly string[],
  settingNames: readonly string[],
): ExpectedValue[] {
  const dl = snapshot.cloud.group;
  if (dl === null) return [];
  const out: ExpectedValue[] = [];
  const add = (attribute: string, value: string, forms: readonly string[]) =>
    out.push({ side: 'cloud', object: label, attribute, value, forms });
  for (const list of LISTS) {
    const values: readonly string[] = dl[LIST_PROPERTY[list]] ?? [];
    for (const v of values) add(CLOUD_PARAMETER[list], v, [v]);
  }
  for (const address of [...dl.emailAddresses, ...extraAddresses]) add('EmailAddresses', address, [address]);
  add('PrimarySmtpAddress', dl.primarySmtpAddress, [dl.primarySmtpAddress]);
  for (const p of snapshot.cloudDependants.sendAsOnGroup)
    if (!p.isInherited && p.accessRights.includes('SendAs'))
      add('SendAs', p.trustee, [p.trustee, p.trusteeSidString]);
  for (const parameter of settingNames)
    for (const v of renderedValues(dl.settings[camel(parameter)])) add(parameter, v, [v]);
  return out;
}

/**
 * What a DL holds now, attribute by attribute, under the names the expectations use. Addresses, the link lists and
 * Send-As are read whole (entries): a value there that no expectation names is an extra; so are the members, compared
 * apart (verify/member-check.ts). `openOwners` leaves ManagedBy open — the configured fallback owner stage may have
 * added is rendered by a Name no capture knows.
 */
export function observedCloudGroup(
  label: string,
  dl: DistributionGroupRecord | null,
  sendAs: readonly RecipientPermissionRecord[],
  openOwners = false,
): ObservedAttribute[] {
  if (dl === null) return [];
  const out: ObservedAttribute[] = [];
  const add = (attribute: string, values: readonly string[], entries?: ObservedEntry[]) =>
    out.push({
      side: 'cloud',
      object: label,
      attribute,
      values,
      ...(entries === undefined ? {} : { entries }),
    });
  const each = (values: readonly string[]) => values.map((v) => ({ shown: v, forms: [v] }));
  for (const list of LISTS) {
    const values: readonly string[] = dl[LIST_PROPERTY[list]] ?? [];
    add(CLOUD_PARAMETER[list], values, list === 'managedBy' && openOwners ? undefined : each(values));
  }
  const trustees = sendAs.filter((p) => !p.isInherited && p.accessRights.includes('SendAs'));
  add(
    'SendAs',
    trustees.flatMap((p) => [p.trustee, p.trusteeSidString]),
    trustees.map((p) => ({ shown: p.trustee, forms: [p.trustee, p.trusteeSidString] })),
  );
  add('EmailAddresses', dl.emailAddresses, each(dl.emailAddresses));
  add('PrimarySmtpAddress', [dl.primarySmtpAddress]);
  add('Name', [dl.name]);
  for (const [key, value] of Object.entries(dl.settings)) add(pascal(key), renderedValues(value));
  return out;
}

/** The forms a cloud group itself is rendered in (a trustee, an entry in its own lists). */
export function selfForms(dl: DistributionGroupRecord | null, label: string): string[] {
  if (dl === null) return [label];
  return [
    label,
    dl.name,
    dl.primarySmtpAddress,
    dl.externalDirectoryObjectId,
    dl.guid,
    String(dl.settings['sid'] ?? ''),
  ].filter((f) => f !== '');
}

/** Every cloud-only object that named the group, and every Send-As right it held, names the group now. */
export function expectedCloudDependants(snapshot: Snapshot, label: string): ExpectedValue[] {
  const out: ExpectedValue[] = snapshot.cloudDependants.dependants.map((d) => ({
    side: 'cloud',
    object: dependantName(d),
    attribute: d.link,
    value: label,
    forms: [label],
  }));
  for (const p of snapshot.cloudDependants.sendAsAsTrustee) {
    if (p.isInherited || !p.accessRights.includes('SendAs')) continue;
    out.push({ side: 'cloud', object: p.identity, attribute: SEND_AS_HELD, value: label, forms: [label] });
  }
  for (const p of collectedRightsToCarry(snapshot)) {
    out.push({
      side: 'cloud',
      object: p.mailbox,
      attribute: collectedAttribute(p),
      value: label,
      forms: [label],
    });
  }
  return out;
}

/** The attribute verify names a collected right by (folder rights by their folder). */
export function collectedAttribute(p: Pick<PermissionRecord, 'kind' | 'folder'>): string {
  switch (p.kind) {
    case 'FullAccess':
      return 'FullAccess';
    case 'SendAs':
      return SEND_AS_HELD;
    case 'SendOnBehalf':
      return 'GrantSendOnBehalfTo';
    case 'Folder':
      return folderAttribute(p.folder);
  }
}

/** Whether a collected right is held by the new group now, as read back from the mailbox it was collected on. */
export interface CollectedRightNow {
  readonly mailbox: string;
  readonly attribute: string;
  readonly held: boolean;
}

export function observedCloudDependants(
  found: readonly CloudDependant[],
  held: readonly RecipientPermissionRecord[],
  label: string,
  collected: readonly CollectedRightNow[] = [],
): ObservedAttribute[] {
  return [
    ...collected.map((c) => ({
      side: 'cloud' as const,
      object: c.mailbox,
      attribute: c.attribute,
      values: c.held ? [label] : [],
    })),
    ...found.map((d) => ({
      side: 'cloud' as const,
      object: dependantName(d),
      attribute: d.link,
      values: [label],
    })),
    ...held
      .filter((p) => !p.isInherited && p.accessRights.includes('SendAs'))
      .map((p) => ({ side: 'cloud' as const, object: p.identity, attribute: SEND_AS_HELD, values: [label] })),
  ];
}

function dependantName(d: CloudDependant): string {
  return d.recipient.primarySmtpAddress || cloudIdentity(d.recipient);
}

/**
 * Every on-prem object that named the group names `target` (the routing contact after a migration, the group again
 * after a restore) in `attributeFor(d)`; dependants with no such attribute were already reported by the step that
 * could not rewire them.
 */
export function expectedOnPremDependants(
  dependants: readonly AdDependant[],
  target: { readonly dn: string; readonly label: string },
  attributeFor: (d: AdDependant) => ForwardLink | undefined,
): ExpectedValue[] {
  const out: ExpectedValue[] = [];
  for (const d of dependants) {
    const attribute = attributeFor(d);
    if (attribute === undefined) continue;
    out.push({
      side: 'on-premises',
      object: d.dn,
      attribute,
      value: target.label,
      forms: [normalizeDn(target.dn)],
    });
  }
  return out;
}

/** The dependants found through the target's back links now, named by their captured DN (a batch may rename them). */
export function observedOnPremDependants(
  captured: readonly AdDependant[],
  now: readonly AdDependant[],
  targetDn: string,
): ObservedAttribute[] {
  const dnByGuid = new Map(captured.map((d) => [d.objectGuid.toLowerCase(), d.dn]));
  return now.map((d) => ({
    side: 'on-premises' as const,
    object: dnByGuid.get(d.objectGuid.toLowerCase()) ?? d.dn,
    attribute: d.attribute,
    values: [normalizeDn(targetDn)],
  }));
}

/** Restore: the group's own addresses and forward links are back as captured. */
export function expectedOnPremGroup(group: AdGroup): ExpectedValue[] {
  const out: ExpectedValue[] = [];
  const add = (attribute: string, value: string, forms: readonly string[]) =>
    out.push({ side: 'on-premises', object: group.dn, attribute, value, forms });
  if (group.mail !== undefined) add('mail', group.mail, [group.mail]);
  for (const p of group.proxyAddresses) add('proxyAddresses', p.raw, [p.raw]);
  for (const [attribute, dns] of Object.entries(group.links))
    for (const dn of dns) add(attribute, dn, [normalizeDn(dn)]);
  return out;
}

export function observedOnPremGroup(label: string, group: AdGroup | undefined): ObservedAttribute[] {
  if (group === undefined) return [];
  const out: ObservedAttribute[] = [
    {
      side: 'on-premises',
      object: label,
      attribute: 'mail',
      values: group.mail === undefined ? [] : [group.mail],
    },
    {
      side: 'on-premises',
      object: label,
      attribute: 'proxyAddresses',
      values: group.proxyAddresses.map((p) => p.raw),
    },
  ];
  for (const [attribute, dns] of Object.entries(group.links))
    out.push({ side: 'on-premises', object: label, attribute, values: dns.map((dn) => normalizeDn(dn)) });
  return out;
}

function camel(parameter: string): string {
  return parameter.charAt(0).toLowerCase() + parameter.slice(1);
}

function pascal(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}
