import { describe, expect, it } from 'vitest';
import type { DirectoryGroup } from './directory.js';
import { layOut, waveSize } from './plan.js';

const group = (
  address: string,
  children: {
    dn: string;
    address?: string;
    kind?: 'mail-enabled-group' | 'retained-group' | 'non-mail-group';
  }[] = [],
): DirectoryGroup => ({
  address,
  line: 1,
  dn: `CN=${address.split('@')[0]},OU=Groups,DC=lab,DC=test`,
  objectGuid: '00000000-0000-0000-0000-000000000000',
  childGroups: children.map((c) => ({
    dn: c.dn,
    objectGuid: c.dn,
    address: c.address,
    kind: c.kind ?? 'mail-enabled-group',
  })),
});
const dn = (name: string) => `CN=${name},OU=Groups,DC=lab,DC=test`;

describe('layOut', () => {
  it('puts children first and records in-batch children per parent', () => {
    const layout = layOut(
      [
        group('top@c.com', [{ dn: dn('mid') }]),
        group('mid@c.com', [{ dn: dn('leaf') }]),
        group('leaf@c.com'),
        group('alone@c.com'),
      ],
      false,
      500,
    );
    expect(layout.waves).toEqual([['leaf@c.com', 'alone@c.com'], ['mid@c.com'], ['top@c.com']]);
    expect(layout.depth).toEqual({ 'leaf@c.com': 0, 'alone@c.com': 0, 'mid@c.com': 1, 'top@c.com': 2 });
    expect(layout.children['top@c.com']).toEqual(['mid@c.com']);
    expect(layout.blocked).toEqual({});
  });

  it('blocks a parent of an unmigrated mail-enabled child outside the set, unless skipNestedGroupCheck', () => {
    const groups = [
      group('parent@c.com', [{ dn: 'CN=Outside,OU=Groups,DC=lab,DC=test', address: 'outside@c.com' }]),
      group('fine@c.com', [
        { dn: 'CN=Old,OU=Groups,DC=lab,DC=test', address: 'old@c.com', kind: 'retained-group' },
        { dn: 'CN=Plain,OU=Groups,DC=lab,DC=test', kind: 'non-mail-group' },
      ]),
    ];
    const strict = layOut(groups, false, 500);
    expect(strict.blocked['parent@c.com']).toMatchObject({ code: 'NESTED_GROUP_EXCEPTION' });
    expect(strict.blocked['parent@c.com']?.message).toContain('outside@c.com');
    expect(strict.waves).toEqual([['fine@c.com']]);
    expect(layOut(groups, true, 500).waves).toEqual([['parent@c.com', 'fine@c.com']]);
  });

  it('splits a level larger than the deletion threshold into waves that keep the order of levels', () => {
    const leaves = Array.from({ length: 5 }, (_, i) => group(`l${i}@c.com`));
    const parent = group('p@c.com', [{ dn: dn('l0') }]);
    const layout = layOut([...leaves, parent], false, 2);
    expect(layout.waves).toEqual([
      ['l0@c.com', 'l1@c.com'],
      ['l2@c.com', 'l3@c.com'],
      ['l4@c.com'],
      ['p@c.com'],
    ]);
    expect(layout.depth['p@c.com']).toBe(1);
  });

  it('leaves a margin below the threshold in every wave: a tenth by default, or as given', () => {
    const leaves = Array.from({ length: 1000 }, (_, i) => group(`l${i}@c.com`));
    expect(layOut(leaves, false, 500).waves.map((w) => w.length)).toEqual([450, 450, 100]);
    expect(layOut(leaves, false, 500, 0).waves.map((w) => w.length)).toEqual([500, 500]);
    expect(layOut(leaves, false, 500, 200).waves.map((w) => w.length)).toEqual([300, 300, 300, 100]);
    expect(waveSize(2)).toBe(2);
  });

  it('blocks a cycle by name and the parents above it', () => {
    const layout = layOut(
      [
        group('a@c.com', [{ dn: dn('b') }]),
        group('b@c.com', [{ dn: dn('a') }]),
        group('up@c.com', [{ dn: dn('a') }]),
      ],
      false,
      500,
    );
    expect(layout.blocked['a@c.com']?.code).toBe('CIRCULAR_REFERENCE_EXCEPTION');
    expect(layout.blocked['a@c.com']?.message).toMatch(
      /a@c\.com → b@c\.com → a@c\.com|b@c\.com → a@c\.com → b@c\.com/,
    );
    expect(layout.blocked['up@c.com']?.code).toBe('CHILD_GROUP_MIGRATION_EXCEPTION');
    expect(layout.waves).toEqual([]);
  });
});
