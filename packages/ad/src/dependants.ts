// Phase 10 done right: every on-prem object that depends on the group, found through the group's
// back links (ranged), including managedObjects — the primary managedBy back link DLConversionV2
// never reads (B1) — and authOrigBL/unauthOrigBL. Each dependant says which attribute to rewire.
import type { AdConnection } from './connection.js';
import { normalizeDn } from './dn.js';
import { AdError } from './errors.js';
import { resolveRecipients, type ResolveOptions } from './resolve.js';
import {
  BACK_LINKS,
  FORWARD_OF_BACK_LINK,
  type AdDependant,
  type BackLink,
  type ExchangeSchemaFacts,
} from './types.js';

export interface DependantsResult {
  dependants: AdDependant[];
  /** Back-link values no DC/GC could resolve (e.g. a domain without a configured DC and no GC). */
  unresolved: { dn: string; backLink: BackLink }[];
}

function safeNormalize(dn: string): string {
  try {
    return normalizeDn(dn);
  } catch {
    return dn;
  }
}

export async function findDependants(
  conn: AdConnection,
  schema: ExchangeSchemaFacts,
  groupDn: string,
  options: ResolveOptions = {},
): Promise<DependantsResult> {
  const backLinks = (await schema.present(BACK_LINKS)) as BackLink[];
  const entry = await conn.read(groupDn, { attributes: backLinks, ranged: backLinks });
  if (!entry) throw new AdError('AD_NO_SUCH_OBJECT', `No object ${groupDn}.`, { dn: groupDn });
  // The group's DC keeps back links for the forward links its own domain holds; the GC's copy adds those held in the
  // other domains' partitions it replicates (memberOf from their universal groups). Both, once each.
  const entries = [entry];
  if (conn.hasGlobalCatalog) {
    const onGc = await conn.read(groupDn, { attributes: backLinks, ranged: backLinks, gc: true });
    if (onGc) entries.push(onGc);
  }
  const pairs: { dn: string; backLink: BackLink }[] = [];
  const seen = new Set<string>();
  for (const name of backLinks) {
    const canonical = BACK_LINKS.find((b) => b.toLowerCase() === name.toLowerCase()) as BackLink;
    for (const e of entries)
      for (const dn of e.strings(name)) {
        const key = `${canonical}|${safeNormalize(dn)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        pairs.push({ dn, backLink: canonical });
      }
  }
  const { recipients } = await resolveRecipients(conn, schema, [...new Set(pairs.map((p) => p.dn))], options);
  const dependants: AdDependant[] = [];
  const unresolved: DependantsResult['unresolved'] = [];
  for (const p of pairs) {
    const r = recipients.get(normalizeDn(p.dn));
    if (!r) {
      unresolved.push(p);
      continue;
    }
    dependants.push({
      dn: r.dn,
      objectGuid: r.objectGuid,
      objectClass: r.objectClass,
      kind: r.kind,
      backLink: p.backLink,
      attribute: FORWARD_OF_BACK_LINK[p.backLink],
    });
  }
  return { dependants, unresolved };
}
