import { describe, expect, it } from 'vitest';
import type { AdRecipient } from '@dlmigrate/ad';
import { cloudObjectId, listEntries, listIdentities, resolveLink, type LinkContext } from './links.js';

const groupDn = 'CN=Sales,OU=Groups,DC=contoso,DC=com';
const member: LinkContext = { list: 'members', attribute: 'member', groupDn, skipNestedGroupCheck: false };
const permission: LinkContext = {
  list: 'acceptFrom',
  attribute: 'authOrig',
  groupDn,
  skipNestedGroupCheck: false,
};
type Obj = Pick<
  AdRecipient,
  'dn' | 'kind' | 'mail' | 'lookupAddress' | 'externalDirectoryObjectId' | 'marker'
>;
const obj = (kind: AdRecipient['kind'], extra: Partial<Obj> = {}): Obj => ({
  dn: `CN=${kind},DC=c`,
  kind,
  ...extra,
});
const code = (r: ReturnType<typeof resolveLink>) => (r.kind === 'rejected' ? r.finding.code : r.kind);

describe('resolveLink', () => {
  it('resolves mailboxes, mail users and contacts by cloud id, falling back to the address', () => {
    const ann = obj('mailbox', {
      mail: 'ann@c.com',
      lookupAddress: 'ann@c.com',
      externalDirectoryObjectId: 'User_1111',
    });
    expect(resolveLink(ann.dn, ann, member)).toEqual({
      kind: 'recipient',
      dn: ann.dn,
      identity: '1111',
      isGroup: false,
      alreadyMigrated: false,
    });
    const paul = obj('mail-contact', { lookupAddress: 'paul@f.example' });
    expect(resolveLink(paul.dn, paul, member)).toMatchObject({ identity: 'paul@f.example' });
    const vera = obj('mail-only-contact', {
      lookupAddress: 'vera@v.example',
      externalDirectoryObjectId: 'Contact_9',
    });
    expect(resolveLink(vera.dn, vera, member)).toMatchObject({ identity: 'vera@v.example' });
  });

  it('resolves what an earlier migration left to the migrated cloud DL', () => {
    const contact = obj('routing-contact', { marker: { tag: 'MigratedByScript', value: '3333' } });
    expect(resolveLink(contact.dn, contact, member)).toMatchObject({
      identity: '3333',
      alreadyMigrated: true,
      isGroup: true,
    });
    const retained = obj('retained-group', { marker: { tag: 'MigratedByScript', value: 'old@c.com' } });
    expect(resolveLink(retained.dn, retained, member)).toMatchObject({
      identity: 'old@c.com',
      alreadyMigrated: true,
    });
    expect(
      code(resolveLink(retained.dn, obj('retained-group', { marker: { tag: 'MigratedByScript' } }), member)),
    ).toBe('OBJECT_NOT_MAIL_ENABLED_EXCEPTION');
  });

  it('accepts a plain user by UPN where Exchange takes users, never as a member', () => {
    const frank = obj('user', { lookupAddress: 'frank@c.com' });
    expect(resolveLink(frank.dn, frank, permission)).toEqual({
      kind: 'user',
      dn: frank.dn,
      identity: 'frank@c.com',
    });
    expect(code(resolveLink(frank.dn, frank, member))).toBe('OBJECT_NOT_MAIL_ENABLED_EXCEPTION');
  });

  it('blocks a mail-enabled child group as a member unless skipNestedGroupCheck, and accepts it as a permission', () => {
    const child = obj('mail-enabled-group', {
      lookupAddress: 'child@c.com',
      externalDirectoryObjectId: 'Group_2222',
    });
    expect(code(resolveLink(child.dn, child, member))).toBe('NESTED_GROUP_EXCEPTION');
    expect(resolveLink(child.dn, child, { ...member, skipNestedGroupCheck: true })).toMatchObject({
      identity: '2222',
      isGroup: true,
    });
    expect(resolveLink(child.dn, child, permission)).toMatchObject({ kind: 'recipient', isGroup: true });
  });

  it('treats a mail-only security group as nested, and non-mail groups and other classes as not mail-enabled', () => {
    const mailOnly = obj('mail-only-security-group', { lookupAddress: 'm@c.com' });
    expect(code(resolveLink(mailOnly.dn, mailOnly, member))).toBe('NESTED_GROUP_EXCEPTION');
    expect(resolveLink(mailOnly.dn, mailOnly, { ...member, skipNestedGroupCheck: true })).toMatchObject({
      identity: 'm@c.com',
    });
    expect(code(resolveLink(mailOnly.dn, mailOnly, permission))).toBe('OBJECT_NOT_MAIL_ENABLED_EXCEPTION');
    expect(code(resolveLink('CN=g', obj('non-mail-group'), { ...member, skipNestedGroupCheck: true }))).toBe(
      'OBJECT_NOT_MAIL_ENABLED_EXCEPTION',
    );
    const pc = resolveLink('CN=pc', obj('other'), permission);
    expect(pc.kind === 'rejected' && pc.finding.attribute).toBe('authOrig');
    expect(code(resolveLink('CN=gone', undefined, member))).toBe('OBJECT_NOT_MAIL_ENABLED_EXCEPTION');
  });

  it('keeps the group itself in its permission lists (#109), but not as its own member', () => {
    const self = obj('mail-enabled-group');
    expect(resolveLink(groupDn.toUpperCase(), self, permission)).toEqual({
      kind: 'self',
      dn: groupDn.toUpperCase(),
    });
    expect(code(resolveLink(groupDn, self, member))).toBe('NESTED_GROUP_EXCEPTION');
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
  it('writes two identities of one cloud object once (a retained group by id, its routing contact by address)', () => {
    const r = [
      { kind: 'recipient', dn: 'a', identity: 'dl-1', isGroup: true, alreadyMigrated: true },
      { kind: 'recipient', dn: 'b', identity: 'sales@c.com', isGroup: true, alreadyMigrated: true },
      { kind: 'recipient', dn: 'c', identity: 'ann@c.com', isGroup: false, alreadyMigrated: false },
    ] as const;
    const found: Record<string, string> = { 'dl-1': 'dl-1', 'sales@c.com': 'DL-1' };
    expect(listIdentities(r, 'new-dl', (i) => found[i] ?? i)).toEqual(['dl-1', 'ann@c.com']);
    expect(listIdentities(r, 'new-dl')).toEqual(['dl-1', 'sales@c.com', 'ann@c.com']);
  });
  it("are listEntries' identities, which verify expects (self, rejected, duplicates by case and by cloud object)", () => {
    const rejected = resolveLink('CN=gone', undefined, member);
    const r = [
      { kind: 'recipient', dn: 'a', identity: 'dl-1', isGroup: true, alreadyMigrated: true },
      rejected,
      { kind: 'self', dn: groupDn },
      { kind: 'recipient', dn: 'b', identity: 'Sales@c.com', isGroup: true, alreadyMigrated: true },
      { kind: 'user', dn: 'u', identity: 'pat@c.com' },
      { kind: 'self', dn: groupDn.toUpperCase() },
      { kind: 'recipient', dn: 'c', identity: 'PAT@c.com', isGroup: false, alreadyMigrated: false },
    ] as const;
    const found: Record<string, string> = { 'Sales@c.com': 'DL-1' };
    const objectOf = (i: string) => found[i] ?? i;
    const entries = listEntries(
      r.map((resolution) => ({ resolution })),
      'new-dl',
      objectOf,
    ).map((e) => e.identity);
    expect(listIdentities(r, 'new-dl', objectOf)).toEqual(entries);
    expect(entries).toEqual(['dl-1', 'new-dl', 'pat@c.com']);
  });
  it('strips the object-type prefix of a cloud id', () => {
    expect(cloudObjectId('User_abc')).toBe('abc');
    expect(cloudObjectId('abc')).toBe('abc');
    expect(cloudObjectId('')).toBeUndefined();
  });
});
