// The mailbox rights a migration carries from the permission collection (`dlmigrate collect permissions`, capture's
// PERMISSIONS_KIND part): FullAccess, which Exchange cannot be asked "held by" at all; Send-As, which capture also reads
// live for a security group (a second grant is only a warning, Add-RecipientPermission.md); and send-on-behalf, which
// the live dependants read also finds on mailboxes, synced ones included (exchange-online.ts findCloudDependants): a
// mailbox found there is carried as a dependant, not again from the collection.
import type { PermissionRecord } from '@dlmigrate/state';
import type { Snapshot } from '../engine/snapshot.js';

/** The collected rights rewire-cloud grants to the new group and verify checks, each once. */
export function collectedRightsToCarry(
  snapshot: Pick<Snapshot, 'permissions' | 'cloudDependants'>,
): PermissionRecord[] {
  const delegateOf = new Set(
    snapshot.cloudDependants.dependants
      .filter((d) => d.link === 'GrantSendOnBehalfTo')
      .map((d) => d.recipient.primarySmtpAddress.toLowerCase()),
  );
  const seen = new Set<string>();
  const out: PermissionRecord[] = [];
  for (const p of snapshot.permissions?.held ?? []) {
    if (p.kind === 'SendOnBehalf' && delegateOf.has(p.mailbox.toLowerCase())) continue;
    if (isOnPremOnly(snapshot, p)) continue;
    const key = `${p.kind}\u0000${p.mailbox.toLowerCase()}\u0000${p.folder.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

function isOnPremOnly(snapshot: Pick<Snapshot, 'permissions'>, p: PermissionRecord): boolean {
  if (p.kind !== 'FullAccess' && p.kind !== 'SendAs') return false;
  const mailbox = p.mailbox.toLowerCase();
  return (snapshot.permissions?.onPremOnly ?? []).some((m) => m.toLowerCase() === mailbox);
}

/**
 * Rights the group holds on on-premises mailboxes (no mailbox in Exchange Online, capture's onPremOnly), each once:
 * a cloud group cannot hold them, so the migration names each in a needs-action finding instead of carrying it.
 */
export function rightsLeftOnPremises(snapshot: Pick<Snapshot, 'permissions'>): PermissionRecord[] {
  const seen = new Set<string>();
  const out: PermissionRecord[] = [];
  for (const p of snapshot.permissions?.held ?? []) {
    if (!isOnPremOnly(snapshot, p)) continue;
    const key = `${p.kind}\u0000${p.mailbox.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** How a folder right is named in findings and verify: the folder, with the root spelled out. */
export function folderAttribute(folder: string): string {
  return `folder ${folder === '' ? 'Top of Information Store' : folder}`;
}
