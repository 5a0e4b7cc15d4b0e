// The mailbox permission collection: which mailboxes are still to scan and the rights read from each.
import type { Driver } from '../driver.js';
import { iso, toPermission, type PermissionRow } from '../rows.js';
import type { PermissionCollectionInfo, PermissionEntry, PermissionRecord } from '../types.js';

export async function queuePermissionScan(driver: Driver, mailboxes: readonly string[]): Promise<void> {
  await driver.transaction(async (tx) => {
    for (const mailbox of new Set(mailboxes.map((m) => m.toLowerCase())))
      await tx.run(
        `INSERT INTO permission_mailboxes (mailbox, scanned_at) VALUES (?, NULL)
         ON CONFLICT (mailbox) DO UPDATE SET scanned_at = NULL`,
        [mailbox],
      );
  });
}

export async function pendingPermissionScan(driver: Driver): Promise<string[]> {
  const rows = await driver.query<{ mailbox: string }>(
    'SELECT mailbox FROM permission_mailboxes WHERE scanned_at IS NULL ORDER BY mailbox',
  );
  return rows.map((r) => r.mailbox);
}

export async function putMailboxPermissions(
  driver: Driver,
  mailbox: string,
  entries: readonly PermissionEntry[],
): Promise<void> {
  const key = mailbox.toLowerCase();
  await driver.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO permission_mailboxes (mailbox, scanned_at) VALUES (?, {now})
       ON CONFLICT (mailbox) DO UPDATE SET scanned_at = excluded.scanned_at`,
      [key],
    );
    await tx.run('DELETE FROM permissions WHERE mailbox = ?', [key]);
    const seen = new Set<string>();
    for (const e of entries) {
      const id = `${e.kind}\u0000${e.folder}\u0000${e.trustee.toLowerCase()}`;
      if (seen.has(id)) continue;
      seen.add(id);
      await tx.run(
        `INSERT INTO permissions (mailbox, kind, folder, trustee, trustee_key, trustee_sid_key, access_rights, collected_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, {now})`,
        [
          key,
          e.kind,
          e.folder,
          e.trustee,
          e.trustee.toLowerCase(),
          e.trusteeSid.toLowerCase(),
          JSON.stringify([...e.accessRights]),
        ],
      );
    }
  });
}

export async function findPermissionsHeldBy(
  driver: Driver,
  trustees: readonly string[],
): Promise<PermissionRecord[]> {
  const keys = [...new Set(trustees.filter((t) => t !== '').map((t) => t.toLowerCase()))];
  if (keys.length === 0) return [];
  const marks = keys.map(() => '?').join(', ');
  const rows = await driver.query<PermissionRow>(
    `SELECT * FROM permissions WHERE trustee_key IN (${marks}) OR trustee_sid_key IN (${marks})
     ORDER BY mailbox, kind, folder, trustee_key`,
    [...keys, ...keys],
  );
  return rows.map(toPermission);
}

export async function listPermissions(driver: Driver): Promise<PermissionRecord[]> {
  const rows = await driver.query<PermissionRow>(
    'SELECT * FROM permissions ORDER BY mailbox, kind, folder, trustee_key',
  );
  return rows.map(toPermission);
}

export async function permissionCollectionInfo(driver: Driver): Promise<PermissionCollectionInfo> {
  const [mailboxes] = await driver.query<{
    n: number | string;
    pending: number | string | null;
    oldest: number | string | null;
  }>(
    `SELECT COUNT(*) AS n, SUM(CASE WHEN scanned_at IS NULL THEN 1 ELSE 0 END) AS pending, MIN(scanned_at) AS oldest
     FROM permission_mailboxes`,
  );
  const [rights] = await driver.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM permissions');
  return {
    mailboxes: Number(mailboxes?.n ?? 0),
    pending: Number(mailboxes?.pending ?? 0),
    rights: Number(rights?.n ?? 0),
    oldestScan: mailboxes?.oldest === null || mailboxes?.oldest === undefined ? null : iso(mailboxes.oldest),
  };
}
