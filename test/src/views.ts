// Comparable views of the directory and the tenant: what "left as it was" means in the end-to-end tests. Volatile
// bookkeeping (USNs, change times, Exchange Guids and object ids that a re-created object legitimately gets anew) is
// left out; everything an administrator or a mail flow would notice is in.
import type { World } from './world.js';

/** The objects a migration of groups.sales touches: the group and its on-prem dependants. */
export const SALES_KEYS: readonly string[] = [
  'groups.sales',
  'groups.allStaff',
  'groups.board',
  'groups.partners',
  'users.grace',
  'users.mallory',
];

const VOLATILE = new Set([
  'whenchanged',
  'usnchanged',
  'usncreated',
  'dscorepropagationdata',
  'replpropertymetadata',
]);

/** Every attribute of the objects (by fixture key), found by objectGUID wherever they are now. */
export async function directoryView(world: World, keys: readonly string[]): Promise<Record<string, unknown>> {
  const view: Record<string, unknown> = {};
  for (const key of keys) {
    const where = await world.ad.findByGuid(world.objects[key]!.objectGUID);
    if (where === undefined) {
      view[key] = null;
      continue;
    }
    const entry = (await world.ad.connection.read(where.dn, { attributes: ['*'] }))!;
    const attributes: Record<string, string[]> = {};
    for (const name of entry.names().sort()) {
      if (!VOLATILE.has(name.toLowerCase())) attributes[name.toLowerCase()] = entry.strings(name).sort();
    }
    view[key] = { dn: where.dn, attributes };
  }
  return view;
}

/** The tenant's recipients by name: type, sync state, addresses, settings and every link (by target name). */
export function tenantView(world: World): Record<string, unknown> {
  const t = world.sim.tenant(world.tenantId);
  const nameOf = new Map(Object.values(t.recipients).map((r) => [r.Guid, r.Name]));
  const names = (ids: readonly string[]) => ids.map((id) => nameOf.get(id) ?? id).sort();
  const view: Record<string, unknown> = {};
  for (const r of Object.values(t.recipients)) {
    view[r.Name] = {
      type: r.RecipientTypeDetails,
      synced: r.IsDirSynced,
      alias: r.Alias,
      displayName: r.DisplayName,
      primary: r.PrimarySmtpAddress.toLowerCase(),
      addresses: r.EmailAddresses.map((a) => a.toLowerCase())
        .filter((a) => !a.startsWith('x500:/o=exchangelabs'))
        .sort(),
      members: names(r.Members),
      managedBy: names(r.ManagedBy),
      moderatedBy: names(r.ModeratedBy),
      accept: names(r.AcceptMessagesOnlyFromSendersOrMembers),
      reject: names(r.RejectMessagesFromSendersOrMembers),
      bypass: names(r.BypassModerationFromSendersOrMembers),
      sendOnBehalf: names(r.GrantSendOnBehalfTo),
      forwarding:
        r.ForwardingAddress === null ? null : (nameOf.get(r.ForwardingAddress) ?? r.ForwardingAddress),
      sendAsTrustees: names(
        t.recipientPermissions.filter((p) => p.identity === r.Guid).map((p) => p.trustee),
      ),
      settings: {
        hidden: r.HiddenFromAddressListsEnabled,
        requireAuth: r.RequireSenderAuthenticationEnabled,
        moderation: r.ModerationEnabled,
        join: r.MemberJoinRestriction,
        depart: r.MemberDepartRestriction,
        custom: r.custom,
        extension: r.extension,
      },
    };
  }
  return view;
}

// A GUID with or without dashes: what a newly made object legitimately gets anew — the routing contact's
// legacyExchangeDN (in its synced copy's X500 address) and the new cloud DL's id it carries (CustomAttribute2).
const NEW_ID = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/gi;

/** A view with every GUID-shaped value replaced, to compare the end states of two runs that each made new objects. */
export function withoutNewIds(view: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(view).replace(NEW_ID, '<id>')) as Record<string, unknown>;
}

/**
 * Where two views disagree, as [key, property, before, after] (one level deep) — an empty list when they are equal,
 * so a failing test names the difference instead of dumping thousands of recipients.
 */
export function viewDiff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): [string, string, unknown, unknown][] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const out: [string, string, unknown, unknown][] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[key] as Record<string, unknown> | undefined;
    const a = after[key] as Record<string, unknown> | undefined;
    if (same(a, b)) continue;
    if (a === undefined || b === undefined || typeof a !== 'object' || typeof b !== 'object') {
      out.push([key, '*', b, a]);
      continue;
    }
    for (const property of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (!same(b[property], a[property])) out.push([key, property, b[property], a[property]]);
    }
  }
  return out;
}

/** Per-object bookkeeping a re-created or newly made object legitimately gets anew (besides VOLATILE). */
const IDENTITY = new Set(['objectguid', 'objectsid', 'whencreated', 'msexchmailboxguid']);

/**
 * The whole synchronised tree and the park OU, object by object (keyed by DN), every attribute except bookkeeping:
 * what a fault-matrix cell compares, so no change anywhere in the directory can hide (not a spot check).
 */
export async function fullDirectoryView(world: World): Promise<Record<string, unknown>> {
  const view: Record<string, unknown> = {};
  for (const ou of ['ous.contoso', 'ous.nonSync']) {
    const entries = await world.ad.connection.search(world.objects[ou]!.dn, {
      scope: 'sub',
      attributes: ['*'],
    });
    for (const entry of entries) {
      const attributes: Record<string, string[]> = {};
      for (const name of entry.names().sort()) {
        const key = name.toLowerCase();
        if (!VOLATILE.has(key) && !IDENTITY.has(key)) attributes[key] = entry.strings(name).sort();
      }
      view[entry.dn.toLowerCase()] = attributes;
    }
  }
  return view;
}
