import type { AdRecipient } from '@dlmigrate/ad';
import { openStateStore, type JsonObject, type StateStore } from '@dlmigrate/state';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OPTIONS } from '../options.js';
import {
  captureOnce,
  forgetSnapshot,
  linkedRecipient,
  loadSnapshot,
  loadSyncedMembers,
  rememberCapture,
  SNAPSHOT_KINDS,
  storeOnce,
  SYNCED_MEMBERS,
  type CapturedParts,
  type Snapshot,
} from './snapshot.js';
import { expectedCloudGroup } from '../verify/expected.js';
import { resolveLinks } from './resolution.js';
import {
  emptyLinks,
  mailbox,
  membersIn,
  runningMigration,
  salesFacts,
  snapshot,
} from './snapshot.test-support.js';
import { validate } from './validation.js';

describe('the snapshot capture hands over', () => {
  let path: string;
  let state: StateStore;
  beforeAll(async () => {
    path = join(mkdtempSync(join(tmpdir(), 'dlmigrate-snapshot-')), 'state.db');
    state = await openStateStore(path);
  });
  afterAll(async () => state.close());

  /** Every part stored the way capture stores it, and what captureOnce gave back for each. */
  async function capture(id: string, written: Snapshot): Promise<CapturedParts> {
    const parts: Record<string, unknown> = {};
    for (const [part, kind] of Object.entries(SNAPSHOT_KINDS))
      parts[part] = await captureOnce(state, id, kind, () =>
        Promise.resolve(written[part as keyof typeof SNAPSHOT_KINDS]),
      );
    return parts as CapturedParts;
  }

  it('is the snapshot a read of the store gives, in this process and in another', async () => {
    const written = snapshot({
      recipients: [mailbox('Ann Lee', 'a1'), mailbox('Bob Roe', 'b2', { displayName: 'Bob' })],
      missing: ['CN=Gone,DC=lab,DC=test'],
    });
    const migration = await runningMigration(state);
    rememberCapture(state, migration.id, await capture(migration.id, written));
    const reads = vi.spyOn(state, 'getBackup');
    const handedOver = await loadSnapshot(state, migration.id);
    // Not read and parsed again.
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    expect(handedOver).toEqual(written);
    // Kept for the run's later steps like a snapshot read from the store.
    expect(await loadSnapshot(state, migration.id)).toBe(handedOver);
    // Let go (stage's membership write): read from the store again, the same snapshot.
    forgetSnapshot(state, migration.id);
    const again = vi.spyOn(state, 'getBackup');
    const reread = await loadSnapshot(state, migration.id);
    expect(again).toHaveBeenCalled();
    again.mockRestore();
    expect(reread).not.toBe(handedOver);
    expect(reread).toEqual(handedOver);
    // Another process (another store object on the same file) reads the same snapshot from what was stored.
    const other = await openStateStore(path);
    try {
      expect(await loadSnapshot(other, migration.id)).toEqual(handedOver);
    } finally {
      await other.close();
    }
  });

  it('is checked by the snapshot schema when it is loaded, as a read of the store is', async () => {
    const migration = await runningMigration(state);
    const parts = await capture(migration.id, snapshot());
    rememberCapture(state, migration.id, { ...parts, cloudLookup: { found: 'everything', missing: [] } });
    await expect(loadSnapshot(state, migration.id)).rejects.toMatchObject({
      code: 'STORED_DOCUMENT_INVALID',
    });
  });
});

describe('the synced members part', () => {
  let state: StateStore;
  beforeAll(async () => {
    state = await openStateStore(join(mkdtempSync(join(tmpdir(), 'dlmigrate-synced-')), 'state.db'));
  });
  afterAll(async () => state.close());

  const ann = {
    guid: 'g-ann',
    externalDirectoryObjectId: 'id-ann',
    name: 'Ann Lee',
    primarySmtpAddress: 'ann@contoso.com',
    recipientTypeDetails: 'UserMailbox',
  };

  it('is read apart from the snapshot, which every step keeps parsed without it', async () => {
    const migration = await runningMigration(state);
    await storeOnce(state, migration.id, SYNCED_MEMBERS, () => Promise.resolve([ann]));
    // Write-once: a resumed capture keeps what the first run read, without reading again.
    const again = vi.fn(() => Promise.resolve([]));
    await storeOnce(state, migration.id, SYNCED_MEMBERS, again);
    expect(again).not.toHaveBeenCalled();
    for (const [part, kind] of Object.entries(SNAPSHOT_KINDS))
      await captureOnce(state, migration.id, kind, () =>
        Promise.resolve(snapshot()[part as keyof typeof SNAPSHOT_KINDS]),
      );
    const loaded = await loadSnapshot(state, migration.id);
    expect(loaded.cloud).not.toHaveProperty('members');
    expect(await loadSyncedMembers(state, migration.id, loaded)).toEqual([ann]);
  });

  it('is the list inside the cloud part of a capture taken before it was kept apart, and none when there is neither', async () => {
    const old = snapshot();
    const migration = await runningMigration(state);
    expect(
      await loadSyncedMembers(state, migration.id, { ...old, cloud: { ...old.cloud, members: [ann] } }),
    ).toEqual([ann]);
    expect(await loadSyncedMembers(state, migration.id, old)).toEqual([]);
  });

  it('is refused when what is stored is not a member list', async () => {
    const migration = await runningMigration(state);
    await state.putBackup(migration.id, SYNCED_MEMBERS, [{ guid: 'g', name: 'no ids' }]);
    await expect(loadSyncedMembers(state, migration.id, snapshot())).rejects.toMatchObject({
      code: 'STORED_DOCUMENT_INVALID',
    });
  });
});

describe('the links part', () => {
  let state: StateStore;
  beforeAll(async () => {
    state = await openStateStore(join(mkdtempSync(join(tmpdir(), 'dlmigrate-links-')), 'state.db'));
  });
  afterAll(async () => state.close());

  // Whole directory records of every class a link can name, with the fields the run does not read (GUID, display
  // name, alias, target address, recipient types).
  const whole = (name: string, extra: Partial<AdRecipient>): AdRecipient => ({
    ...mailbox(name, name.toLowerCase().replace(/ /g, '')),
    objectGuid: `guid-${name}`,
    objectSid: `S-1-5-21-${name.length}`,
    displayName: `${name} (display)`,
    mailNickname: name.toLowerCase().replace(/ /g, '.'),
    targetAddress: `SMTP:${name.toLowerCase().replace(/ /g, '.')}@fabrikam.example`,
    recipientDisplayType: 6,
    recipientTypeDetails: 64,
    ...extra,
  });
  const recipients: AdRecipient[] = [
    whole('Ann Lee', {}),
    whole('Carl Contact', {
      objectClass: 'contact',
      kind: 'mail-contact',
      externalDirectoryObjectId: undefined,
      lookupAddress: 'carl@fabrikam.example',
    }),
    whole('Kids Group', {
      objectClass: 'group',
      kind: 'mail-enabled-group',
      externalDirectoryObjectId: 'Group_k',
    }),
    whole('Old Sales', {
      objectClass: 'contact',
      kind: 'routing-contact',
      marker: { tag: 'MigratedByScript', value: 'old-sales-cloud-id' },
    }),
    whole('Pat Plain', {
      objectClass: 'user',
      kind: 'user',
      mail: undefined,
      userPrincipalName: 'pat@contoso.com',
      lookupAddress: 'pat@contoso.com',
    }),
    whole('Team Managers', {
      objectClass: 'group',
      kind: 'mail-enabled-group',
      externalDirectoryObjectId: 'Group_t',
      groupType: { raw: 8, scope: 'universal', security: false },
    }),
  ];
  const dn = (name: string) => recipients.find((r) => r.name === name)!.dn;
  const links = {
    ...emptyLinks,
    member: ['Ann Lee', 'Carl Contact', 'Kids Group', 'Old Sales'].map(dn),
    managedBy: [dn('Pat Plain'), dn('Team Managers')],
    authOrig: [dn('Ann Lee')],
  };

  it('keeps what the run reads of each linked object, and resolves and validates as the whole records did', async () => {
    const migration = await state.createMigration({
      group: { address: 'sales@contoso.com' },
      strategy: 'recreate',
      options: JSON.parse(JSON.stringify(DEFAULT_OPTIONS)) as JsonObject,
      status: 'running',
    });
    const before = snapshot({ group: { links }, recipients });
    await captureOnce(state, migration.id, SNAPSHOT_KINDS.links, () =>
      Promise.resolve({ recipients: recipients.map(linkedRecipient), missing: [] }),
    );
    const stored = (await state.getBackup(migration.id, SNAPSHOT_KINDS.links))!.data as {
      recipients: Record<string, unknown>[];
    };
    // Just these fields are written: no GUID, SID, class, display name, alias, target address or recipient types.
    const kept = new Set(['dn', 'kind', 'name', 'mail', 'lookupAddress', 'userPrincipalName']);
    for (const field of ['externalDirectoryObjectId', 'groupType', 'marker']) kept.add(field);
    for (const r of stored.recipients) for (const field of Object.keys(r)) expect(kept).toContain(field);
    expect(stored.recipients.find((r) => r['name'] === 'Old Sales')?.['marker']).toEqual(
      recipients[3]!.marker,
    );
    expect(stored.recipients.find((r) => r['name'] === 'Team Managers')?.['groupType']).toEqual(
      recipients[5]!.groupType,
    );
    const after: Snapshot = { ...before, links: { recipients: stored.recipients as never, missing: [] } };
    for (const skipNestedGroupCheck of [false, true]) {
      const resolutions = (s: Snapshot) =>
        resolveLinks(s.onPrem.group!, s.links, skipNestedGroupCheck).map((r) => [r.list, r.resolution]);
      expect(resolutions(after)).toEqual(resolutions(before));
      const options = { ...DEFAULT_OPTIONS, skipNestedGroupCheck, nonSyncOu: 'OU=NonSync,DC=lab,DC=test' };
      expect(
        validate('sales@contoso.com', after, options, membersIn(after, skipNestedGroupCheck)).findings,
      ).toEqual(
        validate('sales@contoso.com', before, options, membersIn(before, skipNestedGroupCheck)).findings,
      );
      const facts = salesFacts();
      expect(expectedCloudGroup(after, skipNestedGroupCheck, facts)).toEqual(
        expectedCloudGroup(before, skipNestedGroupCheck, facts),
      );
    }
  });
});
