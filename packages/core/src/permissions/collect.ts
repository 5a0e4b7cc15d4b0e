// `dlmigrate collect permissions`: the rights trustees hold on mailboxes — FullAccess, Send-As, send-on-behalf, and
// with `folders` the folder rights on the root, Inbox and Calendar — read
// once for a scope of mailboxes (or every mailbox) and kept in the state store, so a migration finds the rights its
// group holds without scanning every mailbox itself (Exchange has no "rights held by" query for FullAccess). Resumable:
// the pass's mailboxes are queued first and each one leaves the queue when its rights are stored. Bounded in
// parallelism; every read goes through the Exchange client and so through its rate budget (packages/exo).
// With a directory, each mailbox's on-premises rights are read too (FullAccess from msExchMailboxSecurityDescriptor,
// Send-As from the user's nTSecurityDescriptor: packages/ad mailbox-rights.ts), stored beside the cloud ones with
// the trustee's SID as trustee, and the pass covers the directory's mail users as well as Exchange's mailboxes.
import type { ActiveDirectory } from '@dlmigrate/ad';
import {
  cloudIdentity,
  ExoNotFoundError,
  opathEquals,
  type ExchangeOnline,
  type MailboxRecord,
} from '@dlmigrate/exo';
import type { PermissionCollectionInfo, PermissionEntry, StateStore } from '@dlmigrate/state';

export interface CollectPermissionsOptions {
  /** Mailboxes to scan (addresses); all mailboxes of the tenant when absent. */
  readonly scope?: readonly string[];
  /** Mailboxes read at the same time. @defaultValue 4 */
  readonly concurrency?: number;
  /**
   * Also read folder rights (Get-MailboxFolderPermission) on FOLDERS of each mailbox. Costs three reads per mailbox
   * more; a resumed pass reads folders only when asked again.
   */
  readonly folders?: boolean;
  /** Start a new pass even though the last one was interrupted (default: finish the interrupted one). */
  readonly restart?: boolean;
  readonly onProgress?: (scanned: number, total: number) => void;
  /**
   * Also read the on-premises rights of each mailbox from the directory's security descriptors, and scan the
   * directory's mail users besides Exchange's mailboxes (an on-premises mailbox has none in Exchange Online).
   */
  readonly directory?: Pick<ActiveDirectory, 'listMailUsers' | 'readMailboxRights'>;
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

/** The folders whose rights `--folders` reads: the mailbox root, Inbox and Calendar ("" is the root). */
const FOLDERS = ['', 'Inbox', 'Calendar'] as const;

/** `<mailbox>:\<folder>`, the identity of a mailbox folder (Get-/Add-MailboxFolderPermission.md, Identity). */
export function folderIdentity(mailbox: string, folder: string): string {
  return `${mailbox}:\\${folder}`;
}

/** Entries every folder lists for everyone (Default) and for unauthenticated callers (Anonymous): no trustee. */
const FOLDER_PSEUDO_USERS = new Set(['default', 'anonymous']);

/**
 * Folder rights name their holder by display name (MailboxFolderUserId), which need not be unique. Each name is looked
 * up once per run (Get-Recipient -Filter DisplayName): one recipient of that name is the holder; several are each asked
 * for by -User on the folder, so a right is never given to the wrong one of two namesakes; none (a deleted holder)
 * keeps the name as shown. Holders are stored by primary address, which is what a migration looks its group up by.
 */
type FolderTrustees = Map<string, Promise<string[]>>;

function candidatesFor(exchange: ExchangeOnline, cache: FolderTrustees, shown: string): Promise<string[]> {
  let found = cache.get(shown);
  if (found === undefined) {
    found = exchange
      .findRecipients(opathEquals('DisplayName', shown))
      .then((rs) => rs.map((r) => r.primarySmtpAddress).filter((a) => a !== ''));
    cache.set(shown, found);
  }
  return found;
}

const grantsSomething = (rights: readonly string[]) => rights.some((a) => a !== 'None');

async function readFolderPermissions(
  exchange: ExchangeOnline,
  address: string,
  cache: FolderTrustees,
): Promise<PermissionEntry[]> {
  const entries: PermissionEntry[] = [];
  const add = (folder: string, trustee: string, accessRights: readonly string[]) =>
    entries.push({ mailbox: address, kind: 'Folder', folder, trustee, trusteeSid: '', accessRights });
  for (const folder of FOLDERS) {
    const id = folderIdentity(address, folder);
    let rights;
    try {
      rights = await exchange.getMailboxFolderPermissions(id);
    } catch (error) {
      // A mailbox without this folder (or gone meanwhile) grants nothing on it.
      if (error instanceof ExoNotFoundError) continue;
      throw error;
    }
    const shownNames = new Set(
      rights
        .filter((r) => !FOLDER_PSEUDO_USERS.has(r.user.toLowerCase()) && grantsSomething(r.accessRights))
        .map((r) => r.user),
    );
    for (const shown of shownNames) {
      const candidates = await candidatesFor(exchange, cache, shown);
      if (candidates.length <= 1) {
        for (const r of rights.filter((x) => x.user === shown))
          add(folder, candidates[0] ?? shown, r.accessRights);
        continue;
      }
      for (const candidate of candidates)
        for (const r of await exchange.getMailboxFolderPermissions(id, candidate))
          if (grantsSomething(r.accessRights)) add(folder, candidate, r.accessRights);
    }
  }
  return entries;
}

/**
 * What the directory says the recipient at `address` grants on-premises: FullAccess and Send-As, each trustee named
 * by its SID (which is what a migration looks its group up by: the on-premises objectSid).
 */
async function readDirectoryPermissions(
  directory: NonNullable<CollectPermissionsOptions['directory']>,
  address: string,
): Promise<PermissionEntry[]> {
  const rights = await directory.readMailboxRights(address);
  if (rights === null) return [];
  const entry = (kind: 'FullAccess' | 'SendAs', sid: string): PermissionEntry => ({
    mailbox: address,
    kind,
    folder: '',
    trustee: sid,
    trusteeSid: sid,
    accessRights: [kind],
  });
  return [
    ...rights.fullAccess.map((sid) => entry('FullAccess', sid)),
    ...rights.sendAs.map((sid) => entry('SendAs', sid)),
  ];
}

/** What one mailbox grants: explicit (not inherited, not deny) FullAccess, Send-As and send-on-behalf. */
async function readMailboxPermissions(
  exchange: ExchangeOnline,
  address: string,
  folders?: FolderTrustees,
): Promise<PermissionEntry[] | null> {
  const mailbox: MailboxRecord | null = await exchange.getMailbox(address);
  if (mailbox === null) return null;
  const identity = cloudIdentity(mailbox) || address;
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
  if (folders !== undefined) entries.push(...(await readFolderPermissions(exchange, address, folders)));
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
    const scope = options.scope ?? [
      ...(await exchange.listMailboxes()).map((m) => m.primarySmtpAddress.toLowerCase()),
      ...((await options.directory?.listMailUsers()) ?? []).map((m) => m.toLowerCase()),
    ];
    await state.queuePermissionScan(scope);
    pending = await state.pendingPermissionScan();
  }
  const total = pending.length;
  let next = 0;
  let scanned = 0;
  const folders: FolderTrustees | undefined = options.folders === true ? new Map() : undefined;
  const worker = async () => {
    while (next < pending.length) {
      const address = pending[next++]!;
      // A mailbox gone since it was listed holds nothing any more: stored as scanned, with no rights. An on-premises
      // mailbox has no mailbox in Exchange Online: only its directory rights.
      const entries = [
        ...((await readMailboxPermissions(exchange, address, folders)) ?? []),
        ...(options.directory === undefined
          ? []
          : await readDirectoryPermissions(options.directory, address)),
      ];
      await state.putMailboxPermissions(address, entries);
      scanned++; // not inside the optional call: `f?.(++n)` skips the increment when f is absent
      options.onProgress?.(scanned, total);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, pending.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { ...(await state.permissionCollectionInfo()), scanned, resumed };
}
