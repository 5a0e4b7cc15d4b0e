// The permission collection in both engines: a pass queues every mailbox, each scanned mailbox replaces its rights
// and leaves the pending list (so an interrupted collection resumes), and a migration finds the rights of its group
// by name or SID, case-insensitively.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStateStore, type StateStore } from '../src/index.js';
import { ENGINES } from './support.js';

describe.each(ENGINES)('permission collection on $engine', (engine) => {
  let store: StateStore;
  beforeEach(async () => {
    store = await openStateStore(await engine.fresh());
  });
  afterEach(async () => {
    await store.close();
  });
  afterAll(async () => {
    await engine.cleanup();
  });

  it('queues, resumes, replaces per mailbox and finds rights by trustee name or SID', async () => {
    expect(await store.permissionCollectionInfo()).toEqual({
      mailboxes: 0,
      pending: 0,
      rights: 0,
      oldestScan: null,
    });
    await store.queuePermissionScan(['Shared@contoso.com', 'boss@contoso.com', 'shared@contoso.com']);
    expect(await store.pendingPermissionScan()).toEqual(['boss@contoso.com', 'shared@contoso.com']);

    await store.putMailboxPermissions('shared@contoso.com', [
      {
        mailbox: 'shared@contoso.com',
        kind: 'FullAccess',
        folder: '',
        trustee: 'Finance',
        trusteeSid: 'S-1-5-21-9',
        accessRights: ['FullAccess'],
      },
      {
        mailbox: 'shared@contoso.com',
        kind: 'SendAs',
        folder: '',
        trustee: 'alice@contoso.com',
        trusteeSid: '',
        accessRights: ['SendAs'],
      },
    ]);
    expect(await store.pendingPermissionScan()).toEqual(['boss@contoso.com']); // the rest of an interrupted pass
    const info = await store.permissionCollectionInfo();
    expect(info).toMatchObject({ mailboxes: 2, pending: 1, rights: 2 });
    expect(info.oldestScan).not.toBeNull();

    const byName = await store.findPermissionsHeldBy(['FINANCE', 'nobody']);
    expect(byName).toEqual([
      expect.objectContaining({
        mailbox: 'shared@contoso.com',
        kind: 'FullAccess',
        trustee: 'Finance',
        accessRights: ['FullAccess'],
      }),
    ]);
    expect(await store.findPermissionsHeldBy(['s-1-5-21-9'])).toHaveLength(1);
    expect(await store.findPermissionsHeldBy([])).toEqual([]);

    // A rescan replaces the mailbox's rights; a new pass queues every mailbox again.
    await store.putMailboxPermissions('shared@contoso.com', []);
    expect(await store.findPermissionsHeldBy(['Finance'])).toEqual([]);
    await store.putMailboxPermissions('boss@contoso.com', []);
    expect(await store.pendingPermissionScan()).toEqual([]);
    await store.queuePermissionScan(['boss@contoso.com', 'shared@contoso.com']);
    expect(await store.pendingPermissionScan()).toHaveLength(2);
    expect(await store.listPermissions()).toEqual([]);
  });
});
