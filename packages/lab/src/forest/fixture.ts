// The fixture of a lab forest: one ordinary Fixture per domain, plus what crosses domains — links from an object of
// one domain to objects of another, and lingering objects of a domain that has no DC any more.
//
// Objects are named `<domain key>:<object key>` (`emea:groups.board`, `root:groups.sales`), so a forest fixture never
// spells a DN either. The first domain is the forest root.
import type { Fixture, LinkAttribute } from '../fixture.js';

export interface ForestDomainSpec {
  /** Short name used in object references (`root`, `emea`) and in the instance name (`<forest>-<key>`). */
  key: string;
  /** Kerberos realm: `LAB.TEST` (base DN DC=lab,DC=test), a child domain `EMEA.LAB.TEST`. */
  realm: string;
  /** NetBIOS name of the domain. */
  netbios: string;
  fixture: Fixture;
}

/** Values written on `from` (in its domain's DC) naming objects of other domains. */
export interface CrossDomainLink {
  from: string;
  attribute: LinkAttribute;
  to: string[];
}

/** An object of a lingering domain: an OU, or a mail-enabled universal distribution group. */
export interface LingeringObject {
  key: string;
  kind: 'ou' | 'group';
  /** The RDN value. */
  name: string;
  /** Key of its OU in the same lingering domain; absent = directly below the domain. */
  parent?: string;
  mail?: string;
  /** Links to objects of the domains that are held by `heldBy` (domain-qualified keys). */
  links?: Partial<Record<LinkAttribute, string[]>>;
}

/**
 * A domain whose last DC is gone while its objects linger in the global catalog of other DCs (a decommissioned
 * domain, or lingering objects after a long replication outage): the forest lists it in CN=Partitions, the DCs of
 * `heldBy` still hold a replica of it, and no DC answers for it. Back links to its objects resolve nowhere.
 */
export interface LingeringDomainSpec {
  key: string;
  realm: string;
  netbios: string;
  /** Keys of the domains whose DCs still hold its replica. */
  heldBy: string[];
  objects: LingeringObject[];
}

export interface ForestFixture {
  name: string;
  /** Bump whenever anything in the forest (any domain's fixture included) changes. */
  version: number;
  /** The first one is the forest root. */
  domains: ForestDomainSpec[];
  links: CrossDomainLink[];
  lingering: LingeringDomainSpec[];
}

/** `emea:groups.board` → { domain: 'emea', key: 'groups.board' }. */
export function splitForestKey(ref: string): { domain: string; key: string } {
  const at = ref.indexOf(':');
  if (at <= 0 || at === ref.length - 1)
    throw new Error(`forest object reference ${JSON.stringify(ref)} is not <domain>:<key>`);
  return { domain: ref.slice(0, at), key: ref.slice(at + 1) };
}
