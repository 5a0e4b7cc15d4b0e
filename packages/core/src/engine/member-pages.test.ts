import type { AdRecipient } from '@dlmigrate/ad';
import type { MemberRecord } from '@dlmigrate/exo';
import { openStateStore, type StateStore } from '@dlmigrate/state';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listIdentities } from '../mapping/links.js';
import { DEFAULT_OPTIONS } from '../options.js';
import { expectedCloudGroup } from '../verify/expected.js';
import { pagedExpectedMembers } from '../verify/expected-members.js';
import {
  captureMemberPages,
  forEachMemberPage,
  MEMBER_PAGES,
  MEMBERS_PER_PAGE,
  pagedMemberFindings,
  pagedMemberIdentities,
  pagedMembersNotSynced,
} from './member-pages.js';
import { parityFindings } from './parity.js';
import { planChanges, plannedSelf } from './plan.js';
import { cloudIdentities, cloudObjectOf, resolveLinks, resolveMembers } from './resolution.js';
import { linkedRecipient, type CloudLookupCapture, type Snapshot } from './snapshot.js';
import { emptyLinks, mailbox, runningMigration, salesFacts, snapshot } from './snapshot.test-support.js';
import { validate } from './validation.js';

// A group of 12,003 members (three pages, the last one short): mailboxes Exchange Online knows, some it does not, DNs
// no DC knows, a child group, the group itself, and one cloud object named by two links on two pages; an owner.
const GROUP_DN = 'CN=Sales,OU=Groups,DC=lab,DC=test';
const user = (i: number): AdRecipient => ({
  ...mailbox(`U${i} Lee`, `id${i}`),
  dn: `CN=U${i},OU=Big,DC=lab,DC=test`,
});
const users = Array.from({ length: 12_000 }, (_, i) => user(i));
const child: AdRecipient = {
  ...mailbox('Kids Group', 'kids'),
  dn: 'CN=Kids,OU=Groups,DC=lab,DC=test',
  objectClass: 'group',
  kind: 'mail-enabled-group',
  externalDirectoryObjectId: 'Group_kids',
};
// Names the cloud object of user 7 again, from the last page.
const alias: AdRecipient = { ...users[7]!, dn: 'CN=U7 Alias,OU=Big,DC=lab,DC=test' };
const owner = mailbox('Olga Owner', 'owner');
const gone = ['CN=Gone1,OU=Big,DC=lab,DC=test', 'CN=Gone2,OU=Big,DC=lab,DC=test'];
const memberDns = [
  ...users.slice(0, 6_000).map((u) => u.dn),
  gone[0]!,
  child.dn,
  GROUP_DN,
  ...users.slice(6_000).map((u) => u.dn),
  gone[1]!,
  alias.dn,
];
const recipients = [...users, child, alias, owner];
/** Exchange Online knows every user but those whose number ends in 13, the child group and the owner. */
const inCloud = (identity: string) => !/13$/.test(identity);

function lookupOf(identities: readonly string[]): CloudLookupCapture {
  const found: Record<string, string> = {};
  const rendered: Record<string, { name: string; address: string }> = {};
  const missing: string[] = [];
  for (const identity of identities) {
    if (!inCloud(identity)) {
      missing.push(identity);
      continue;
    }
    found[identity] = `cloud-${identity}`;
    rendered[identity] = { name: `Name ${identity}`, address: `${identity}@contoso.com` };
  }
  return { found, rendered, missing };
}

/** The group captured the way captures were taken before member pages: every link and look-up in the snapshot. */
function whole(skip: boolean): Snapshot {
  const s = snapshot({
    group: { dn: GROUP_DN, links: { ...emptyLinks, member: memberDns, managedBy: [owner.dn] } },
    recipients: recipients.map((r) => ({ ...linkedRecipient(r) }) as AdRecipient),
  });
  // Capture looks up what the links resolve to under the migration's options.
  const lookup = lookupOf(cloudIdentities(resolveLinks(s.onPrem.group!, s.links, skip)));
  return { ...s, cloudLookup: lookup };
}

describe('members kept in pages', () => {
  let state: StateStore;
  beforeAll(async () => {
    state = await openStateStore(join(mkdtempSync(join(tmpdir(), 'dlmigrate-pages-')), 'state.db'));
  });
  afterAll(async () => state.close());

  /** The same group captured as capture now does: its other links in the snapshot, its members in pages. */
  async function paged(migrationId: string, before: Snapshot, skip: boolean): Promise<Snapshot> {
    const group = before.onPrem.group!;
    const links = {
      recipients: [owner].map(linkedRecipient),
      missing: [],
      membersApart: true,
    };
    const pages = vi.fn(async (dns: readonly string[]) => {
      const inPage = new Set(dns);
      const found = recipients.filter((r) => inPage.has(r.dn)).map(linkedRecipient);
      return {
        recipients: found,
        missing: dns.filter((dn) => !found.some((r) => r.dn === dn)),
        lookup: lookupOf(cloudIdentities(resolveMembers(group, dns, found, skip))),
      };
    });
    await captureMemberPages(state, migrationId, memberDns, pages);
    expect(pages).toHaveBeenCalledTimes(Math.ceil(memberDns.length / MEMBERS_PER_PAGE));
    const snapshotAfter: Snapshot = { ...before, links };
    return {
      ...snapshotAfter,
      cloudLookup: lookupOf(cloudIdentities(resolveLinks(group, links, skip))),
    };
  }

  it.each([false, true])(
    'give validate, stage, parity and verify what the whole snapshot gave (skipNestedGroupCheck %s)',
    async (skip) => {
      const migration = await runningMigration(state);
      const before = whole(skip);
      const after = await paged(migration.id, before, skip);
      const options = {
        ...DEFAULT_OPTIONS,
        skipNestedGroupCheck: skip,
        nonSyncOu: 'OU=NonSync,DC=lab,DC=test',
      };
      const group = before.onPrem.group!;

      const expectedFindings = validate('sales@contoso.com', before, options).findings;
      expect(expectedFindings.map((f) => f.code)).toEqual(
        expect.arrayContaining(['OFFICE_365_DEPENDENCY_NOT_FOUND_EXCEPTION']),
      );
      const validationAfter = validate(
        'sales@contoso.com',
        after,
        options,
        await pagedMemberFindings(state, migration.id, after, skip),
      );
      expect(validationAfter.findings).toEqual(expectedFindings);
      // Plan: the same changes, the membership among them.
      expect(
        planChanges(
          migration.id,
          after,
          validationAfter,
          options,
          await pagedMemberIdentities(state, migration.id, after, skip, plannedSelf(migration.id)),
        ),
      ).toEqual(planChanges(migration.id, before, validate('sales@contoso.com', before, options), options));

      // Stage's member list: the same identities in the same order, each cloud object once.
      const identitiesBefore = listIdentities(
        resolveLinks(group, before.links, skip)
          .filter((r) => r.list === 'members')
          .map((r) => r.resolution),
        '<self>',
        cloudObjectOf(before.cloudLookup),
      );
      expect(resolveLinks(group, after.links, skip).filter((r) => r.list === 'members')).toEqual([]);
      expect(await pagedMemberIdentities(state, migration.id, after, skip, '<self>')).toEqual(
        identitiesBefore,
      );

      // Parity with a synced copy that lacks users 0 and 9,000.
      const synced: MemberRecord[] = users
        .filter((_, i) => i !== 0 && i !== 9_000)
        .map((u) => ({
          guid: `g-${u.dn}`,
          externalDirectoryObjectId: u.externalDirectoryObjectId!.replace('User_', ''),
          name: u.name,
          primarySmtpAddress: u.mail!,
          recipientTypeDetails: 'UserMailbox',
        }));
      const parityBefore = parityFindings(before, resolveLinks(group, before.links, skip), synced);
      expect(parityBefore.length).toBeGreaterThanOrEqual(2);
      expect(
        parityFindings(
          after,
          resolveLinks(group, after.links, skip),
          synced,
          await pagedMembersNotSynced(state, migration.id, after, skip, synced),
        ),
      ).toEqual(parityBefore);

      // Verify: every value, its forms and its order (user 7's two links one member with the forms of both).
      const facts = salesFacts(['sales@contoso.com', 'new-dl-id']);
      const expectedBefore = expectedCloudGroup(before, skip, facts);
      // User 7, named by two links on two pages, is one member.
      expect(
        expectedBefore.filter((v) => v.attribute === 'Members' && v.value === 'id7@contoso.com'),
      ).toHaveLength(1);
      const expectedAfter = expectedCloudGroup(
        after,
        skip,
        facts,
        await pagedExpectedMembers(state, migration.id, after, skip, facts),
      );
      expect(expectedAfter).toEqual(expectedBefore);
    },
  );

  it('resume a capture after its last stored page, and are read a page at a time', async () => {
    const migration = await runningMigration(state);
    const dns = Array.from({ length: MEMBERS_PER_PAGE * 2 + 1 }, (_, i) => `CN=M${i},DC=lab,DC=test`);
    const page = (slice: readonly string[]) =>
      Promise.resolve({ recipients: [], missing: [...slice], lookup: { found: {}, missing: [] } });
    // A first run dies while reading the second page.
    let calls = 0;
    await expect(
      captureMemberPages(state, migration.id, dns, (slice) => {
        if (++calls === 2) throw new Error('killed');
        return page(slice);
      }),
    ).rejects.toThrow('killed');
    expect(await state.getBackup(migration.id, MEMBER_PAGES)).toBeNull();
    const resumed = vi.fn(page);
    await captureMemberPages(state, migration.id, dns, resumed);
    expect(resumed.mock.calls.map(([slice]) => slice[0])).toEqual([
      dns[MEMBERS_PER_PAGE],
      dns[2 * MEMBERS_PER_PAGE],
    ]);

    const s = snapshot({ group: { links: { ...emptyLinks, member: dns } } });
    const walked = { ...s, links: { ...s.links, membersApart: true } };
    const sizes: number[] = [];
    await forEachMemberPage(state, migration.id, walked, false, ({ resolved }) => {
      sizes.push(resolved.length);
    });
    expect(sizes).toEqual([MEMBERS_PER_PAGE, MEMBERS_PER_PAGE, 1]);
  });

  it('are refused when they do not fit the captured group, and missing when capture did not finish', async () => {
    const migration = await runningMigration(state);
    const s = snapshot({ group: { links: { ...emptyLinks, member: ['CN=A,DC=lab,DC=test'] } } });
    const walked = { ...s, links: { ...s.links, membersApart: true } };
    const walk = () => forEachMemberPage(state, migration.id, walked, false, () => {});
    await expect(walk()).rejects.toMatchObject({ code: 'CORE_CAPTURE_INCOMPLETE' });
    await state.putBackup(migration.id, MEMBER_PAGES, { members: 2, perPage: MEMBERS_PER_PAGE, pages: 1 });
    await expect(walk()).rejects.toMatchObject({ code: 'STORED_DOCUMENT_INVALID' });
  });

  it('are not walked for a capture that keeps its members in the snapshot', async () => {
    const migration = await runningMigration(state);
    const visit = vi.fn();
    await forEachMemberPage(state, migration.id, whole(false), false, visit);
    expect(visit).not.toHaveBeenCalled();
  });
});
