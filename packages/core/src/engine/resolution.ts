// The group's links resolved against the captured directory objects: per cloud list, what will be written.
import { normalizeDn, type AdGroup, type AdRecipient } from '@dlmigrate/ad';
import { LINK_SOURCES, resolveLink, type LinkList, type LinkResolution } from '../mapping/links.js';
import type { CloudLookupCapture, LinkedRecipient, LinksCapture } from './snapshot.js';

export interface ResolvedLink {
  readonly list: LinkList;
  readonly attribute: string;
  readonly resolution: LinkResolution;
  /** The directory's view of the object (undefined when the DN is dangling). */
  readonly object: LinkedRecipient | undefined;
}

/** Every DN the group links to, including Send-As trustees (the ACL), each with the list it feeds. */
export function linkTargets(group: AdGroup): { list: LinkList; attribute: string; dn: string }[] {
  const targets: { list: LinkList; attribute: string; dn: string }[] = [];
  for (const [list, attributes] of Object.entries(LINK_SOURCES) as [
    Exclude<LinkList, 'sendAs'>,
    readonly string[],
  ][]) {
    for (const attribute of attributes) {
      for (const dn of group.links[attribute as keyof AdGroup['links']] ?? [])
        targets.push({ list, attribute, dn });
    }
  }
  for (const trustee of group.sendAs)
    targets.push({
      list: 'sendAs',
      attribute: 'ntSecurityDescriptor (Send-As)',
      dn: trustee.self ? group.dn : trustee.dn,
    });
  return targets;
}

/**
 * The group's links but its members (member-pages.ts gives those), resolved, once per captured links part, group and option: validate, stage, verify (and capture, plan,
 * parity) each resolved every link again — at 40,000 members 25–40 MiB of DN strings, maps and records per step for
 * the collector to catch up with, in the steps that set the run's peak memory (issue 17). The parts are write-once
 * and loadSnapshot keeps one parsed snapshot per migration, so its steps find the first resolution here; the result
 * is read-only.
 */
const resolvedBefore = new WeakMap<LinksCapture, WeakMap<AdGroup, Map<boolean, readonly ResolvedLink[]>>>();

export function resolveLinks(
  group: AdGroup,
  links: LinksCapture,
  skipNestedGroupCheck: boolean,
): readonly ResolvedLink[] {
  const byGroup = resolvedBefore.get(links) ?? resolvedBefore.set(links, new WeakMap()).get(links)!;
  const byOption = byGroup.get(group) ?? byGroup.set(group, new Map()).get(group)!;
  const before = byOption.get(skipNestedGroupCheck);
  if (before !== undefined) return before;
  const resolved = resolve(group, links, skipNestedGroupCheck);
  byOption.set(skipNestedGroupCheck, resolved);
  return resolved;
}

function resolve(group: AdGroup, links: LinksCapture, skipNestedGroupCheck: boolean): ResolvedLink[] {
  // The members are not among these: every step reads them a page at a time (member-pages.ts memberPages), a
  // capture that keeps them with the other links as one page.
  return resolveTargets(
    group,
    linkTargets(group).filter((t) => t.list !== 'members'),
    links.recipients,
    skipNestedGroupCheck,
  );
}

/** One page of the group's members (a slice of its `member` values) resolved against that page's records. */
export function resolveMembers(
  group: AdGroup,
  dns: readonly string[],
  recipients: readonly LinkedRecipient[],
  skipNestedGroupCheck: boolean,
): ResolvedLink[] {
  return resolveTargets(
    group,
    dns.map((dn) => ({ list: 'members', attribute: 'member', dn })),
    recipients,
    skipNestedGroupCheck,
  );
}

function resolveTargets(
  group: AdGroup,
  targets: readonly { list: LinkList; attribute: string; dn: string }[],
  recipients: readonly LinkedRecipient[],
  skipNestedGroupCheck: boolean,
): ResolvedLink[] {
  const byDn = new Map(recipients.map((r) => [normalizeDn(r.dn), r]));
  // Each DN normalised once (a lower-cased copy per call): the group's own, then each link's for both look-ups.
  const groupDn = normalizeDn(group.dn);
  return targets.map(({ list, attribute, dn }) => {
    const key = normalizeDn(dn);
    const self = key === groupDn;
    const object = byDn.get(key) ?? (self ? selfRecipient(group) : undefined);
    return {
      list,
      attribute,
      object,
      resolution: resolveLink(dn, object, { list, attribute, groupDn: group.dn, skipNestedGroupCheck, self }),
    };
  });
}

/** The group seen as a recipient, for its own entries in its permission lists. */
function selfRecipient(group: AdGroup): AdRecipient {
  return {
    dn: group.dn,
    objectGuid: group.objectGuid,
    objectClass: 'group',
    kind: 'mail-enabled-group',
    name: group.name,
    ...(group.mail === undefined ? {} : { mail: group.mail, lookupAddress: group.mail }),
  };
}

/** Identities Exchange Online must know (recipients and users; self and rejected entries excluded). */
export function cloudIdentities(resolved: readonly ResolvedLink[]): string[] {
  const ids = new Set<string>();
  for (const r of resolved) {
    if (r.resolution.kind === 'recipient' || r.resolution.kind === 'user') ids.add(r.resolution.identity);
  }
  return [...ids];
}

/** The cloud object capture's lookup found for a link identity (the identity itself when it found none). */
export function cloudObjectOf(lookup: CloudLookupCapture): (identity: string) => string {
  return (identity) => lookup.found[identity] ?? identity;
}
