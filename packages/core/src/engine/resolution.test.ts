import { describe, expect, it } from 'vitest';
import { resolveLinks } from './resolution.js';
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
    resolveLinks(group, s.links, skip).map((r) => [r.list, r.resolution.kind, r.object?.name]);

  it('resolves each link, the group itself by its DN in any case', () => {
    expect(kinds(false)).toEqual([
      ['members', 'recipient', 'Ann Lee'],
      ['members', 'rejected', 'Kids Group'],
      ['members', 'rejected', 'Sales'],
      ['managedBy', 'self', 'Sales'],
    ]);
    expect(kinds(true)[1]).toEqual(['members', 'recipient', 'Kids Group']);
  });

  it('resolves a links part once per group and option: later steps get the same resolution', () => {
    const first = resolveLinks(group, s.links, false);
    expect(resolveLinks(group, s.links, false)).toBe(first);
    expect(resolveLinks(group, s.links, true)).not.toBe(first);
    expect(resolveLinks(group, { ...s.links }, false)).not.toBe(first);
    expect(resolveLinks(group, { ...s.links }, false)).toEqual(first);
  });
});
