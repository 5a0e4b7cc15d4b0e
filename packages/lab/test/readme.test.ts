// The README's key table is the contract other packages' tests are written against: it must list
// every key of the contoso fixture.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contoso } from '../src/index.js';

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
});
