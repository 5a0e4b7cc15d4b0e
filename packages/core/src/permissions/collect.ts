// `dlmigrate collect permissions`: the rights trustees hold on mailboxes — FullAccess, Send-As, send-on-behalf — read
// once for a scope of mailboxes (or every mailbox) and kept in the state store, so a migration finds the rights its
// group holds without scanning every mailbox itself (Exchange has no "rights held by" query for FullAccess). Resumable:
// the pass's mailboxes are queued first and each one leaves the queue when its rights are stored. Bounded in
// parallelism; every read goes through the Exchange client and so through its rate budget (packages/exo).
import type { ExchangeOnline, MailboxRecord } from '@dlmigrate/exo';
import type { PermissionCollectionInfo, PermissionEntry, StateStore } from '@dlmigrate/state';

export interface CollectPermissionsOptions {
  /** Mailboxes to scan (addresses); all mailboxes of the tenant when absent. */
  readonly scope?: readonly string[];
  /** Mailboxes read at the same time. @defaultValue 4 */
  readonly concurrency?: number;
  /** Start a new pass even though the last one was interrupted (default: finish the interrupted one). */
  readonly restart?: boolean;
  readonly onProgress?: (scanned: number, total: number) => void;
}

export interface CollectPermissionsResult extends PermissionCollectionInfo {
  /** Mailboxes read by this run. */
  readonly scanned: number;
  /** True when this run finished a pass an earlier run had started. */
  readonly resumed: boolean;
}

const SELF = new Set(['nt authority\\self', 's-1-5-10']);

function isOwnEntry(trustee: string, sid: string): boolean {
  return SELF.has(trustee.toLowerCase()) || SELF.has(sid.toLowerCase());
}

/** What one mailbox grants: explicit (not inherited, not deny) FullAccess, Send-As and send-on-behalf. */
export async function readMailboxPermissions(
  exchange: ExchangeOnline,
  address: string,
): Promise<PermissionEntry[] | null> {
  const mailbox: MailboxRecord | null = await exchange.getMailbox(address);
  if (mailbox === null) return null;
  const identity = mailbox.externalDirectoryObjectId || mailbox.guid || address;
  const entries: PermissionEntry[] = [];
  for (const p of await exchange.getMailboxPermissions(identity)) {
    if (p.isInherited || p.deny || isOwnEntry(p.user, p.userSid)) continue;
    if (!p.accessRights.includes('FullAccess')) continue;
    entries.push({
      mailbox: address,
      kind: 'FullAccess',
      folder: '',
      trustee: p.user,
      trusteeSid: p.userSid,
      accessRights: p.accessRights,
    });
  }
  for (const p of await exchange.getRecipientPermissions({ identity })) {
    if (p.isInherited || !p.accessRights.includes('SendAs') || isOwnEntry(p.trustee, p.trusteeSidString))
      continue;
    entries.push({
      mailbox: address,
      kind: 'SendAs',
      folder: '',
      trustee: p.trustee,
      trusteeSid: p.trusteeSidString,
      accessRights: ['SendAs'],
    });
  }
  for (const delegate of mailbox.grantSendOnBehalfTo)
    entries.push({
      mailbox: address,
      kind: 'SendOnBehalf',
      folder: '',
      trustee: delegate,
      trusteeSid: '',
      accessRights: ['SendOnBehalf'],
    });
  return entries;
}

export async function collectPermissions(
  exchange: ExchangeOnline,
  state: StateStore,
  options: CollectPermissionsOptions = {},
): Promise<CollectPermissionsResult> {
  let pending = options.restart === true ? [] : await state.pendingPermissionScan();
  const resumed = pending.length > 0;
  if (!resumed) {
    const scope =
      options.scope ?? (await exchange.listMailboxes()).map((m) => m.primarySmtpAddress.toLowerCase());
    await state.queuePermissionScan(scope);
    pending = await state.pendingPermissionScan();
  }
  const total = pending.length;
  let next = 0;
  let scanned = 0;
  const worker = async () => {
    while (next < pending.length) {
      const address = pending[next++]!;
      // A mailbox gone since it was listed holds nothing any more: stored as scanned, with no rights.
      const entries = (await readMailboxPermissions(exchange, address)) ?? [];
      await state.putMailboxPermissions(address, entries);
      scanned++; // not inside the optional call: `f?.(++n)` skips the increment when f is absent
      options.onProgress?.(scanned, total);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, pending.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { ...(await state.permissionCollectionInfo()), scanned, resumed };
}
