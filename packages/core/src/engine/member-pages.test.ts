import type { AdRecipient } from '@dlmigrate/ad';
import type { MemberRecord } from '@dlmigrate/exo';
import { openStateStore, type StateStore } from '@dlmigrate/state';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OPTIONS } from '../options.js';
import { capturedMemberChecks, forEachCapturedMember } from '../verify/expected-members.js';
import { MemberCheck } from '../verify/member-check.js';
import {
  captureMemberPages,
  MEMBER_PAGES,
  memberFindings,
  memberIdentities,
  memberPages,
  MEMBERS_PER_PAGE,
  membersNotSyncedOf,
  readMembers,
  type MemberPages,
  type MemberReader,
} from './member-pages.js';
import { planChanges, plannedSelf } from './plan.js';
import { cloudIdentities, resolveLinks, resolveMembers } from './resolution.js';
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
  // Capture looked up what the links and the members resolve to under the migration's options.
  const group = s.onPrem.group!;
  const lookup = lookupOf(
    cloudIdentities([
      ...resolveMembers(group, memberDns, s.links.recipients, skip),
      ...resolveLinks(group, s.links, skip),
    ]),
  );
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
    'give validate, stage, plan, parity and verify what the members kept with the other links give (skipNestedGroupCheck %s)',
    async (skip) => {
      const migration = await runningMigration(state);
      const before = whole(skip);
      const after = await paged(migration.id, before, skip);
      // The capture taken before the pages is one page; the other is walked from the store.
      const onePage = memberPages(state, migration.id, before, skip);
      const pages = memberPages(state, migration.id, after, skip);
      const options = {
        ...DEFAULT_OPTIONS,
        skipNestedGroupCheck: skip,
        nonSyncOu: 'OU=NonSync,DC=lab,DC=test',
      };
      const group = before.onPrem.group!;
      expect(resolveLinks(group, before.links, skip).filter((r) => r.list === 'members')).toEqual([]);

      const findingsBefore = (await readMembers(onePage, memberFindings()))[0];
      expect(findingsBefore.problems.map((f) => f.code)).toEqual(
        expect.arrayContaining(['OFFICE_365_DEPENDENCY_NOT_FOUND_EXCEPTION']),
      );
      expect((await readMembers(pages, memberFindings()))[0]).toEqual(findingsBefore);
      const validationBefore = validate('sales@contoso.com', before, options, findingsBefore);
      const validationAfter = validate(
        'sales@contoso.com',
        after,
        options,
        (await readMembers(pages, memberFindings()))[0],
      );
      expect(validationAfter.findings).toEqual(validationBefore.findings);

      // Stage's member list: the same identities in the same order, each cloud object once (user 7 and its alias).
      const identitiesBefore = (await readMembers(onePage, memberIdentities('<self>')))[0];
      expect(identitiesBefore.filter((i) => i === 'id7')).toHaveLength(1);
      expect((await readMembers(pages, memberIdentities('<self>')))[0]).toEqual(identitiesBefore);
      const self = plannedSelf(migration.id);
      expect(
        planChanges(
          migration.id,
          after,
          validationAfter,
          options,
          (await readMembers(pages, memberIdentities(self)))[0],
        ),
      ).toEqual(
        planChanges(
          migration.id,
          before,
          validationBefore,
          options,
          (await readMembers(onePage, memberIdentities(self)))[0],
        ),
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
      const notSyncedBefore = (await readMembers(onePage, membersNotSyncedOf(synced)))[0];
      expect(notSyncedBefore.length).toBeGreaterThanOrEqual(2);
      expect((await readMembers(pages, membersNotSyncedOf(synced)))[0]).toEqual(notSyncedBefore);

      // Verify, against a DL holding every user but user 3 (whom it lacks) and a stranger (an extra member): the same
      // checks and differences either way.
      const facts = salesFacts(['sales@contoso.com', 'new-dl-id']);
      const held: MemberRecord[] = [
        ...users
          .filter((_, i) => i !== 3)
          .map((u) => ({
            guid: `g-${u.dn}`,
            externalDirectoryObjectId: `x-${u.dn}`,
            name: u.name,
            primarySmtpAddress: u.mail!,
            recipientTypeDetails: 'UserMailbox',
          })),
        {
          guid: 'g-stranger',
          externalDirectoryObjectId: 'x-stranger',
          name: 'Stranger',
          primarySmtpAddress: 'stranger@contoso.com',
          recipientTypeDetails: 'UserMailbox',
        },
      ];
      const verified = async (walk: MemberPages) => {
        const check = new MemberCheck('sales@contoso.com', held);
        await forEachCapturedMember(walk, facts, (m) => check.expect(m));
        return check.result();
      };
      const verifiedBefore = await verified(onePage);
      expect(
        verifiedBefore.differences.filter((d) => d.kind === 'extra').map((d) => d.expected.value),
      ).toEqual(['stranger@contoso.com']);
      expect(verifiedBefore.differences.map((d) => d.expected.value)).toContain('id3@contoso.com');
      expect(verifiedBefore.differences.map((d) => d.expected.value)).not.toContain('id7@contoso.com');
      expect(await verified(pages)).toEqual(verifiedBefore);
      // What plan promises verify will check: one value per cloud object.
      const [checks, findingsAgain] = await readMembers(pages, capturedMemberChecks(facts), memberFindings());
      expect(checks).toBe((await readMembers(onePage, capturedMemberChecks(facts)))[0]);
      // Several readers share one walk, each given every page.
      expect(findingsAgain).toEqual(findingsBefore);
      expect(checks).toBe(verifiedBefore.checked - 1);
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
    const reads = vi.spyOn(state, 'getBackup');
    const sizes = (): MemberReader<number[]> => {
      const seen: number[] = [];
      return { read: ({ resolved }) => seen.push(resolved.length), result: () => seen };
    };
    const [first, second] = await readMembers(
      memberPages(state, migration.id, walked, false),
      sizes(),
      sizes(),
    );
    expect(first).toEqual([MEMBERS_PER_PAGE, MEMBERS_PER_PAGE, 1]);
    expect(second).toEqual(first);
    // The summary and each page read once, for both readers.
    expect(reads).toHaveBeenCalledTimes(4);
    reads.mockRestore();
  });

  it('are refused when they do not fit the captured group, and missing when capture did not finish', async () => {
    const migration = await runningMigration(state);
    const s = snapshot({ group: { links: { ...emptyLinks, member: ['CN=A,DC=lab,DC=test'] } } });
    const walked = { ...s, links: { ...s.links, membersApart: true } };
    const walk = () => memberPages(state, migration.id, walked, false)(() => {});
    await expect(walk()).rejects.toMatchObject({ code: 'CORE_CAPTURE_INCOMPLETE' });
    await state.putBackup(migration.id, MEMBER_PAGES, { members: 2, perPage: MEMBERS_PER_PAGE, pages: 1 });
    await expect(walk()).rejects.toMatchObject({ code: 'STORED_DOCUMENT_INVALID' });
  });

  it('are one page for a capture that keeps its members with the other links', async () => {
    const migration = await runningMigration(state);
    const sizes: number[] = [];
    await memberPages(
      state,
      migration.id,
      whole(false),
      false,
    )(({ resolved }) => {
      sizes.push(resolved.length);
    });
    expect(sizes).toEqual([memberDns.length]);
  });
});
