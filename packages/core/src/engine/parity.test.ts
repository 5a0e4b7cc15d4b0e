import { describe, expect, it } from 'vitest';
import { parityFindings } from './parity.js';
import { resolveLinks } from './resolution.js';
import { emptyLinks, mailbox, membersNotSyncedIn, snapshot } from './snapshot.test-support.js';

const ann = mailbox('Ann', '1');
const bob = mailbox('Bob Berg', '2');

function check(cloud: { members: string[]; managedBy: string[] }) {
  const s = snapshot({
    group: { links: { ...emptyLinks, member: [ann.dn], managedBy: [bob.dn] } },
    recipients: [ann, bob],
  });
  const withCloud = {
    ...s,
    cloud: {
      ...s.cloud,
      group: { ...s.cloud.group!, managedBy: cloud.managedBy },
    },
  };
  const synced = cloud.members.map((id) => ({
    externalDirectoryObjectId: id,
    primarySmtpAddress: '',
    guid: '',
    name: '',
    recipientTypeDetails: 'UserMailbox',
  }));
  return parityFindings(
    withCloud,
    resolveLinks(withCloud.onPrem.group!, withCloud.links, false),
    membersNotSyncedIn(withCloud, synced),
  ).map((f) => `${f.code}:${f.attribute}:${f.subject}`);
}

describe('parityFindings', () => {
  it('accepts a cloud copy that holds every member (by id) and owner (by name)', () => {
    expect(check({ members: ['1'], managedBy: ['Bob Berg'] })).toEqual([]);
  });
  it('names every on-prem value the cloud copy lacks', () => {
    expect(check({ members: [], managedBy: [] })).toEqual([
      'OFFICE_365_MEMBER_NOT_FOUND_EXCEPTION:member:1',
      'OFFICE_365_MEMBER_NOT_FOUND_EXCEPTION:managedBy:2',
    ]);
  });
});
