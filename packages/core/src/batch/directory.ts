// What the directory says about the groups of a batch: that each address names exactly one group, and which groups
// are members of each (the links the batch is ordered by). Read-only.
import {
  and,
  classifyRecipient,
  decodeGroupType,
  eq,
  guidToString,
  normalizeDn,
  type ActiveDirectory,
  type AdEntry,
  type RecipientKind,
} from '@dlmigrate/ad';
import type { ListedGroup } from './input.js';

export interface ChildGroup {
  readonly dn: string;
  /** Stable across moves (a parked child keeps it), unlike its DN. */
  readonly objectGuid: string;
  /** Its mail address, when it has one (the name a report uses for it). */
  readonly address: string | undefined;
  readonly kind: RecipientKind;
}

export interface DirectoryGroup extends ListedGroup {
  readonly dn: string;
  readonly objectGuid: string;
  /** Groups that are direct members of this one. */
  readonly childGroups: readonly ChildGroup[];
}

export type DirectoryProblemCode = 'GROUP_NOT_FOUND' | 'DUPLICATE_MAIL' | 'NOT_A_GROUP' | 'SAME_GROUP_TWICE';

export interface DirectoryProblem {
  readonly code: DirectoryProblemCode;
  readonly severity: 'blocking' | 'info';
  readonly line: number;
  readonly value: string;
  readonly message: string;
}

const CHILD_ATTRIBUTES = [
  'objectClass',
  'objectGUID',
  'mail',
  'groupType',
  'msExchRecipientDisplayType',
  'msExchRecipientTypeDetails',
  'extensionAttribute1',
  'extensionAttribute2',
];

/**
 * Looks every listed address up (all at once: the connection bounds its own concurrency) and, for each group found,
 * searches the groups whose memberOf names it — one search per group instead of resolving every member, which for a
 * group of thousands of users would cost thousands of reads to find the few groups among them.
 */
export async function readBatchGroups(
  ad: ActiveDirectory,
  listed: readonly ListedGroup[],
): Promise<{ groups: DirectoryGroup[]; problems: DirectoryProblem[] }> {
  const base = await ad.defaultNamingContext();
  const problems: DirectoryProblem[] = [];
  const found = await Promise.all(
    listed.map(async (entry): Promise<DirectoryGroup | undefined> => {
      const matches = await ad.findByAddress(entry.address);
      const problem = (code: DirectoryProblemCode, message: string) => {
        problems.push({ code, severity: 'blocking', line: entry.line, value: entry.address, message });
        return undefined;
      };
      if (matches.length === 0)
        return problem(
          'GROUP_NOT_FOUND',
          `no directory object has ${entry.address} as mail or proxy address`,
        );
      if (matches.length > 1) {
        return problem(
          'DUPLICATE_MAIL',
          `${matches.length} directory objects hold ${entry.address}: ${matches.map((m) => m.dn).join('; ')}`,
        );
      }
      const match = matches[0]!;
      if (!match.isGroup)
        return problem(
          'NOT_A_GROUP',
          `${entry.address} belongs to ${match.dn}, a ${match.objectClass}, not a group`,
        );
      const childGroups = await childGroupsOf(ad, match.dn, base);
      return { ...entry, dn: match.dn, objectGuid: match.objectGuid, childGroups };
    }),
  );

  // Two addresses of one group (e.g. its primary and a secondary) are one migration.
  const byDn = new Map<string, DirectoryGroup>();
  const groups: DirectoryGroup[] = [];
  for (const group of found) {
    if (group === undefined) continue;
    const first = byDn.get(normalizeDn(group.dn));
    if (first !== undefined) {
      problems.push({
        code: 'SAME_GROUP_TWICE',
        severity: 'info',
        line: group.line,
        value: group.address,
        message: `${group.address} is another address of ${first.address} (line ${first.line}); migrated once`,
      });
      continue;
    }
    byDn.set(normalizeDn(group.dn), group);
    groups.push(group);
  }
  problems.sort((a, b) => a.line - b.line);
  return { groups, problems };
}

/**
 * The groups that are direct members of the group at `dn` (a search on their memberOf), classified — in every domain
 * of the forest: one forest-wide search on the global catalog when there is one, else one search on the DC of each
 * configured domain (a child in another domain is as much a child as one in the group's own).
 */
export async function childGroupsOf(ad: ActiveDirectory, dn: string, base?: string): Promise<ChildGroup[]> {
  const conn = ad.connection;
  const request = {
    scope: 'sub' as const,
    filter: and(eq('objectClass', 'group'), eq('memberOf', dn)),
    attributes: CHILD_ATTRIBUTES,
  };
  const bases = conn.hasGlobalCatalog
    ? ['']
    : [
        ...new Map(
          [base ?? (await ad.defaultNamingContext()), ...conn.domainNamingContexts].map((nc) => [
            normalizeDn(nc),
            nc,
          ]),
        ).values(),
      ];
  const byDn = new Map<string, AdEntry>();
  for (const b of bases) {
    const found = await conn.search(b, { ...request, gc: conn.hasGlobalCatalog });
    for (const entry of found) byDn.set(normalizeDn(entry.dn), entry);
  }
  const children = [...byDn.values()];
  return children.map((child): ChildGroup => {
    const groupType = child.number('groupType');
    const displayType = child.number('msExchRecipientDisplayType');
    const typeDetails = child.number('msExchRecipientTypeDetails');
    const mail = child.string('mail');
    const ext1 = child.string('extensionAttribute1');
    const ext2 = child.string('extensionAttribute2');
    const { kind } = classifyRecipient({
      objectClasses: child.strings('objectClass'),
      ...(mail !== undefined ? { mail } : {}),
      ...(displayType !== undefined ? { recipientDisplayType: displayType } : {}),
      ...(typeDetails !== undefined ? { recipientTypeDetails: typeDetails } : {}),
      ...(groupType !== undefined ? { groupType: decodeGroupType(groupType) } : {}),
      ...(ext1 !== undefined ? { extensionAttribute1: ext1 } : {}),
      ...(ext2 !== undefined ? { extensionAttribute2: ext2 } : {}),
    });
    return {
      dn: child.dn,
      objectGuid: guidToString(child.buffer('objectGUID') ?? Buffer.alloc(16)),
      address: mail,
      kind,
    };
  });
}

/** Child groups that hold a parent back until they are migrated (what validate rejects as NESTED_GROUP_EXCEPTION). */
export function isUnmigratedMailGroup(child: ChildGroup): boolean {
  return child.kind === 'mail-enabled-group' || child.kind === 'mail-only-security-group';
}
