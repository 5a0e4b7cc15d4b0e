// Answers too large to spread into a function's arguments: a search whose one page holds 200,000 entries (a server
// that ignores the paging control) and an attribute that gets 200,000 more values come back whole. ldapts' client is
// replaced at its prototype (bind, search), so the connection's own code runs without a directory.
import { Client, type SearchResult } from 'ldapts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdConnection } from './connection.js';
import { AdEntry } from './entry.js';

const MANY = 200_000;
const people = 'OU=People,DC=contoso,DC=com';

describe('answers of 200,000 entries or values', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a search keeps every entry of a page that holds them all', async () => {
    const page = Array.from({ length: MANY }, (_, i) => ({ dn: `CN=u${i},${people}`, cn: `u${i}` }));
    vi.spyOn(Client.prototype, 'bind').mockResolvedValue(undefined);
    vi.spyOn(Client.prototype, 'unbind').mockResolvedValue(undefined);
    const searched = vi.spyOn(Client.prototype, 'searchPaginated').mockImplementation(async function* () {
      yield { searchEntries: page, searchReferences: [] } as unknown as SearchResult;
    });
    const connection = new AdConnection({
      url: 'ldaps://127.0.0.1:1',
      bindDn: 'admin@contoso.com',
      password: 'not used',
    });
    try {
      const found = await connection.search(people, { attributes: ['cn'] });
      expect(searched).toHaveBeenCalledTimes(1);
      expect(found).toHaveLength(MANY);
      expect(found[0]?.dn).toBe(`CN=u0,${people}`);
      expect(found.at(-1)?.string('cn')).toBe(`u${MANY - 1}`);
    } finally {
      await connection.close();
    }
  });

  it('an entry takes 200,000 more values of an attribute it already has', () => {
    const entry = new AdEntry(`CN=Big,${people}`);
    entry.add('member', [`CN=first,${people}`]);
    entry.add(
      'member',
      Array.from({ length: MANY }, (_, i) => `CN=u${i},${people}`),
    );
    const members = entry.strings('member');
    expect(members).toHaveLength(MANY + 1);
    expect(members.at(-1)).toBe(`CN=u${MANY - 1},${people}`);
  });
});
