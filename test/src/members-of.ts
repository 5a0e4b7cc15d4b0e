// "Members of" restrictions naming a migrated group (issue 14): in the contoso fixture groups.board, groups.partners and
// users.mallory restrict by the members of groups.sales, and sales, finance and mallory by the members of execs,
// contractors, salesAdmins and partners. A migration of such a group reports each restriction whose meaning changed
// (MEMBERS_OF_RESTRICTION_CHANGED, needs-action: rewire-onprem.ts membersOfChange), so it ends completed with warnings.
export const MEMBERS_OF = 'MEMBERS_OF_RESTRICTION_CHANGED';

/** The findings besides the members-of reports. */
export function withoutMembersOf<T extends { readonly code: string }>(findings: readonly T[]): T[] {
  return findings.filter((f) => f.code !== MEMBERS_OF);
}

/** `object attribute` of each members-of report, sorted. */
export function membersOfReports(
  findings: readonly {
    readonly code: string;
    readonly subject: string;
    readonly attribute?: string | undefined;
  }[],
): string[] {
  return findings
    .filter((f) => f.code === MEMBERS_OF)
    .map((f) => `${f.subject} ${f.attribute}`)
    .sort();
}
