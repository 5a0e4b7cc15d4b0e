// The README's key table is the contract other packages' tests are written against: it must list
// every key of the contoso fixture.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contoso, contosoForest } from '../src/index.js';

describe('packages/lab/README.md', () => {
  it('documents every key of the contoso fixture', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const keys = [
      ...contoso.ous,
      ...contoso.users,
      ...contoso.contacts,
      ...contoso.groups,
      ...contoso.dynamicGroups,
    ].map((o) => o.key);
    expect(keys.filter((key) => !readme.includes(`| \`${key}\` |`))).toEqual([]);
    for (const set of contoso.generated) expect(readme).toContain(`\`${set.key}.*\``);
  });

  it('documents every object of the contoso-forest fixture', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const keys = [
      ...contosoForest.domains.flatMap(({ key, fixture: f }) =>
        [...f.ous, ...f.users, ...f.contacts, ...f.groups, ...f.dynamicGroups].map((o) => `${key}:${o.key}`),
      ),
      ...contosoForest.lingering.flatMap((l) => l.objects.map((o) => `${l.key}:${o.key}`)),
    ];
    // a row may document two keys (`a` / `b`)
    expect(keys.filter((key) => !readme.includes(`\`${key}\``))).toEqual([]);
  });
});
