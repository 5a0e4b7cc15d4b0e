// Group source of authority (onPremisesSyncBehavior.isCloudManaged): the Entra side switches at
// once; Exchange Online shows the group as no longer directory-synced only after the tenant's
// exchangeSoaDelaySeconds (how long is not documented: "Configure Group Source of Authority").
import type { Recipient } from '../exchange/recipient.js';
import type { TenantState } from '../state.js';

/** Switches the source of authority: cloud-managed objects are no longer written by sync. */
export function setCloudManaged(
  tenant: TenantState,
  g: Recipient,
  cloudManaged: boolean,
  now = Date.now(),
): void {
  g.dir.isCloudManaged = cloudManaged;
  tenant.pendingSoaRelease = tenant.pendingSoaRelease.filter((p) => p.guid !== g.Guid);
  if (cloudManaged) {
    // "isCloudManaged true, onPremisesSyncEnabled null" (status table of the configure page).
    g.dir.onPremisesSyncEnabled = null;
    const delay = tenant.behaviour.exchangeSoaDelaySeconds;
    if (delay > 0)
      tenant.pendingSoaRelease.push({ guid: g.Guid, at: new Date(now + delay * 1000).toISOString() });
    else g.IsDirSynced = false;
  }
  // Handing authority back to AD takes effect at the next sync cycle, which re-stamps the object.
  g.WhenChangedUTC = new Date(now).toISOString();
}

/** Applies the Exchange side of conversions whose delay has passed (called before each request is served). */
export function settleSoaReleases(tenant: TenantState, now = Date.now()): void {
  if (tenant.pendingSoaRelease.length === 0) return;
  const due = tenant.pendingSoaRelease.filter((p) => Date.parse(p.at) <= now);
  if (due.length === 0) return;
  tenant.pendingSoaRelease = tenant.pendingSoaRelease.filter((p) => Date.parse(p.at) > now);
  for (const p of due) {
    const g = tenant.recipients[p.guid];
    if (g?.dir.isCloudManaged) g.IsDirSynced = false;
  }
}

/**
 * Cloud references that stop a rollback to AD: "Make sure that the groups that you roll back have no
 * cloud references. Remove cloud users from SOA converted groups" (configure page, "Roll back SOA
 * update"). Here: members that are not synchronised from on-premises.
 */
export function cloudReferences(tenant: TenantState, g: Recipient): Recipient[] {
  return g.Members.map((m) => tenant.recipients[m]).filter(
    (m): m is Recipient => m !== undefined && !m.IsDirSynced && m.dir.onPremisesSyncEnabled !== true,
  );
}
