import { describe, expect, it } from 'vitest';
import { bigGroupsFixture } from './fixtures/big-groups.js';
import {
  addFiles,
  indexCacheOption,
  indexListChange,
  linkFiles,
  parseIndexList,
  partitionHashSize,
} from './offline.js';
import { buildSeedPlan } from './plan.js';

const BASE = 'DC=lab,DC=test';

describe('@INDEXLIST switches', () => {
  const printed = [
    '# record 1',
    'dn: @INDEXLIST',
    '@IDX_DN_GUID: GUID',
    '@IDXGUID: objectGUID',
    '@IDXONE: 1',
    '@SAMDB_INDEXING_VERSION: 3',
    '@IDXATTR: objectClass',
    '@IDXATTR: mail',
    '',
  ].join('\n');

  it('reads the attribute indexes and the one-level index, nothing else', () => {
    expect(parseIndexList(printed)).toEqual({ attributes: ['objectClass', 'mail'], oneLevel: true });
  });

  it('switches exactly those off and back on', () => {
    const switches = parseIndexList(printed);
    expect(indexListChange(switches, 'delete')).toBe(
      'dn: @INDEXLIST\nchangetype: modify\ndelete: @IDXATTR\n-\ndelete: @IDXONE\n-\n',
    );
    expect(indexListChange(switches, 'add')).toBe(
      'dn: @INDEXLIST\nchangetype: modify\nadd: @IDXATTR\n@IDXATTR: objectClass\n@IDXATTR: mail\n-\n' +
        'add: @IDXONE\n@IDXONE: 1\n-\n',
    );
  });
});

describe('the index cache of the ldb tools', () => {
  it('has room for every index record of the partition (about ten per object), never the default few hundred', () => {
    expect(indexCacheOption(100_000)).toEqual(['-o', 'transaction_index_cache_size:2000000']);
    expect(indexCacheOption(7)).toEqual(['-o', 'transaction_index_cache_size:10000']);
  });

  it("sizes the partition's hash table to a few records per chain, never below ldb's 10,000", () => {
    expect(partitionHashSize(100_000)).toBe(400_000);
    expect(partitionHashSize(7)).toBe(10_000);
  });
});

describe('LDIF files of a plan', () => {
  const plan = buildSeedPlan(bigGroupsFixture([3, 5]), BASE);

  it('adds every object once, in plan order, a bounded number per file', () => {
    const files = addFiles(plan.objects, 4);
    expect(files).toHaveLength(Math.ceil(plan.objects.length / 4));
    const dns = files.flatMap((f) =>
      f
        .split('\n')
        .filter((l) => l.startsWith('dn: '))
        .map((l) => l.slice(4)),
    );
    expect(dns).toEqual(plan.objects.map((o) => o.dn));
    expect(files[0]).toContain('objectClass: organizationalUnit');
  });

  it('writes every link value, one object per record, files split between objects', () => {
    const { files, linkValues } = linkFiles(plan, 4);
    // big3: 3 members + owner, big5: 5 members + owner
    expect(linkValues).toBe(10);
    expect(files).toHaveLength(2);
    const members = files
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('member: '));
    expect(members).toHaveLength(8);
    expect(new Set(members).size).toBe(5);
  });
});
