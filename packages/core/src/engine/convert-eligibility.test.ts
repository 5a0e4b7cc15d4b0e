import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type MigrationOptions } from '../options.js';
import { convertEligible } from './convert-eligibility.js';
import type { MemberRecord } from '@dlmigrate/exo';
import type { Snapshot } from './snapshot.js';
import { emptyLinks, mailbox, membersIn, membersNotSyncedIn, snapshot } from './snapshot.test-support.js';

const options: MigrationOptions = { ...DEFAULT_OPTIONS, nonSyncOu: 'OU=NonSync,DC=lab,DC=test' };
const ann = mailbox('Ann', '1');
/** Whether plan recommends convert, given the members as plan reads them (one page: membersIn, membersNotSyncedIn). */
const eligible = (s: Snapshot, synced: readonly MemberRecord[]) =>
  convertEligible('sales@contoso.com', s, options, {
    findings: membersIn(s),
    notSynced: membersNotSyncedIn(s, synced),
  });

describe('convertEligible', () => {
  it('recommends convert for a clean group whose synced copy holds every link', () => {
    expect(eligible(snapshot(), [])).toBe(true);
  });

  it('not when the synced copy lacks a member (convert would freeze it without)', () => {
    const s = snapshot({ group: { links: { ...emptyLinks, member: [ann.dn] } }, recipients: [ann] });
    const synced = {
      guid: 'g1',
      externalDirectoryObjectId: '1',
      name: 'Ann',
      primarySmtpAddress: 'ann@contoso.com',
      recipientTypeDetails: 'UserMailbox',
    };
    expect(eligible(s, [synced])).toBe(true);
    expect(eligible(s, [])).toBe(false);
  });

  it('not without a synced cloud copy to convert', () => {
    const s = snapshot();
    expect(eligible({ ...s, cloud: { ...s.cloud, group: null } }, [])).toBe(false);
  });
});
