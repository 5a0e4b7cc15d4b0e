import { describe, expect, it } from 'vitest';
import { resolveLinks, resolveMembers } from './resolution.js';
import { emptyLinks, mailbox, snapshot } from './snapshot.test-support.js';

describe('resolveLinks', () => {
  const ann = mailbox('Ann Lee', 'a1');
  const kids = mailbox('Kids Group', 'k1', { kind: 'mail-enabled-group', objectClass: 'group' });
  const s = snapshot({ recipients: [ann, kids] });
  const group = {
    ...s.onPrem.group!,
    links: {
      ...emptyLinks,
      member: [ann.dn, kids.dn, s.onPrem.group!.dn.toUpperCase()],
      managedBy: [s.onPrem.group!.dn.toLowerCase()],
    },
  };
  const kinds = (skip: boolean) =>
    [
      ...resolveMembers(group, group.links.member, s.links.recipients, skip),
      ...resolveLinks(group, s.links, skip),
    ].map((r) => [r.list, r.resolution.kind, r.object?.name]);

  it('resolves each link, the group itself by its DN in any case; the members apart from the other links', () => {
    expect(kinds(false)).toEqual([
      ['members', 'recipient', 'Ann Lee'],
      ['members', 'rejected', 'Kids Group'],
      ['members', 'rejected', 'Sales'],
      ['managedBy', 'self', 'Sales'],
    ]);
    expect(kinds(true)[1]).toEqual(['members', 'recipient', 'Kids Group']);
    // The members are read a page at a time (member-pages.ts), never with the other links.
    expect(resolveLinks(group, s.links, false).map((r) => r.list)).toEqual(['managedBy']);
  });

  it('resolves a links part once per group and option: later steps get the same resolution', () => {
    const first = resolveLinks(group, s.links, false);
    expect(resolveLinks(group, s.links, false)).toBe(first);
    expect(resolveLinks(group, s.links, true)).not.toBe(first);
    expect(resolveLinks(group, { ...s.links }, false)).not.toBe(first);
    expect(resolveLinks(group, { ...s.links }, false)).toEqual(first);
  });
});
