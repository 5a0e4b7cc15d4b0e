import { describe, expect, it } from 'vitest';
import { cloudObjectId, listIdentities, resolveLink, type LinkContext, type LinkedObjectFacts } from './links.js';

const groupDn = 'CN=Sales,OU=Groups,DC=contoso,DC=com';
const member: LinkContext = { list: 'members', attribute: 'member', groupDn, skipNestedGroupCheck: false };
const permission: LinkContext = { list: 'acceptFrom', attribute: 'authOrig', groupDn, skipNestedGroupCheck: false };
const mailbox: LinkedObjectFacts = {
  dn: 'CN=Ann,OU=Users,DC=contoso,DC=com',
  objectClasses: ['top', 'person', 'organizationalPerson', 'user'],
  mail: 'ann@contoso.com',
  recipientDisplayType: 1073741824,
  externalDirectoryObjectId: 'User_1111',
};
const childGroup: LinkedObjectFacts = {
  dn: 'CN=Child,OU=Groups,DC=contoso,DC=com',
  objectClasses: ['top', 'group'],
  mail: 'child@contoso.com',
  recipientDisplayType: 1,
  groupType: 8,
  externalDirectoryObjectId: 'Group_2222',
};

describe('resolveLink', () => {
  it('resolves a mailbox by its cloud id', () => {
    expect(resolveLink(mailbox, member)).toMatchObject({ kind: 'recipient', identity: '1111', isGroup: false });
  });

  it('resolves a routing contact of an earlier migration to the migrated DL', () => {
    const contact = {
      dn: 'CN=Old-MigratedByScript,OU=x,DC=c',
      objectClasses: ['contact'],
      mail: 'old-MigratedByScript@contoso.com',
      recipientDisplayType: 6,
      extensionAttribute1: 'MigratedByScript',
      extensionAttribute2: '3333',
    };
    expect(resolveLink(contact, member)).toMatchObject({ kind: 'recipient', identity: '3333', alreadyMigrated: true });
  });

  it('accepts a mail-only contact by address and a plain user by UPN', () => {
    expect(resolveLink({ dn: 'CN=c', objectClasses: ['contact'], mail: 'x@y.com' }, member)).toMatchObject({
      identity: 'x@y.com',
    });
    expect(resolveLink({ dn: 'CN=u', objectClasses: ['user'], userPrincipalName: 'u@c.com' }, permission)).toEqual({
      kind: 'user',
      dn: 'CN=u',
      identity: 'u@c.com',
    });
  });

  it('blocks a mail-enabled child group as a member unless skipNestedGroupCheck', () => {
    const blocked = resolveLink(childGroup, member);
    expect(blocked.kind).toBe('rejected');
    expect(blocked.kind === 'rejected' && blocked.finding.code).toBe('NESTED_GROUP_EXCEPTION');
    expect(resolveLink(childGroup, { ...member, skipNestedGroupCheck: true })).toMatchObject({ identity: '2222' });
    expect(resolveLink(childGroup, permission)).toMatchObject({ kind: 'recipient', isGroup: true });
  });

  it('treats a mail-only security group like a mail-enabled one, and a mail-only distribution group as not mail-enabled', () => {
    const mailOnly = { dn: 'CN=m', objectClasses: ['group'], mail: 'm@c.com' };
    const sec = resolveLink({ ...mailOnly, groupType: -2147483646 }, { ...member, skipNestedGroupCheck: true });
    expect(sec).toMatchObject({ kind: 'recipient', identity: 'm@c.com' });
    const dist = resolveLink({ ...mailOnly, groupType: 8 }, { ...member, skipNestedGroupCheck: true });
    expect(dist.kind === 'rejected' && dist.finding.code).toBe('OBJECT_NOT_MAIL_ENABLED_EXCEPTION');
  });

  it('keeps the group itself in its permission lists (#109) and accepts a migrated child group', () => {
    expect(resolveLink({ ...childGroup, dn: groupDn.toUpperCase() }, permission)).toEqual({ kind: 'self', dn: groupDn.toUpperCase() });
    const migrated = { ...childGroup, recipientDisplayType: undefined, extensionAttribute1: 'MigratedByScript', extensionAttribute2: 'child@contoso.com' };
    expect(resolveLink(migrated, member)).toMatchObject({ identity: 'child@contoso.com', alreadyMigrated: true });
  });

  it('rejects computers and non-mail groups', () => {
    const pc = resolveLink({ dn: 'CN=pc', objectClasses: ['user', 'computer'] }, member);
    expect(pc.kind === 'rejected' && pc.finding.code).toBe('OBJECT_NOT_MAIL_ENABLED_EXCEPTION');
    const plain = resolveLink({ dn: 'CN=g', objectClasses: ['group'], groupType: -2147483646 }, permission);
    expect(plain.kind === 'rejected' && plain.finding.attribute).toBe('authOrig');
  });
});

describe('listIdentities', () => {
  it('replaces the self entry with the new DL and de-duplicates case-insensitively', () => {
    const r = [
      { kind: 'recipient', dn: 'a', identity: 'X@c.com', isGroup: false, alreadyMigrated: false },
      { kind: 'self', dn: groupDn },
      { kind: 'recipient', dn: 'b', identity: 'x@c.com', isGroup: false, alreadyMigrated: false },
    ] as const;
    expect(listIdentities(r, 'new-dl')).toEqual(['X@c.com', 'new-dl']);
  });
  it('strips the object-type prefix of a cloud id', () => {
    expect(cloudObjectId('User_abc')).toBe('abc');
    expect(cloudObjectId('abc')).toBe('abc');
    expect(cloudObjectId('')).toBeUndefined();
  });
});
