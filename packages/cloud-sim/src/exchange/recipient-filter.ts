// Stored OPATH recipient filters (Set-DynamicDistributionGroup / New-/Set-AddressList / Set-GlobalAddressList
// -RecipientFilter): checked when set, as Exchange Online does, before anything is stored.
import type { CmdletContext } from './cmdlet.js';
import { CmdletError, cmdletErrors } from './errors.js';
import { evaluateFilter, parseFilter } from './filter.js';
import { newRecipient } from './recipient.js';

type FilterNode = ReturnType<typeof parseFilter>;

function comparisons(node: FilterNode): Extract<FilterNode, { op: 'cmp' }>[] {
  switch (node.op) {
    case 'and':
    case 'or':
      return [...comparisons(node.left), ...comparisons(node.right)];
    case 'not':
      return comparisons(node.expr);
    case 'cmp':
      return [node];
  }
}

/**
 * Refuses what Exchange Online refuses in a RecipientFilter: bad syntax, unknown properties, a wildcard as the first
 * character (Set-DynamicDistributionGroup -RecipientFilter: "In cloud-based environments, you can't use a wildcard
 * as the first character") and a MemberOfGroup value that is not a distinguished name (filter-properties.md,
 * MemberOfGroup: "requires the distinguished name or canonical distinguished name").
 */
export function assertRecipientFilter(
  ctx: CmdletContext,
  filter: string,
  parameter = 'RecipientFilter',
): void {
  let node: FilterNode;
  try {
    node = parseFilter(filter);
    // Evaluating against a blank recipient rejects unknown properties with Exchange's error.
    evaluateFilter(
      ctx.dir,
      node,
      newRecipient({
        Name: 'probe',
        PrimarySmtpAddress: 'probe@probe.invalid',
        RecipientTypeDetails: 'UserMailbox',
      }),
    );
  } catch (err) {
    if (!(err instanceof CmdletError)) throw err;
    throw cmdletErrors.invalidArgument(
      parameter,
      err.message.replace(/^Cannot bind parameter 'Filter'\. /, ''),
    );
  }
  for (const cmp of comparisons(node)) {
    if ((cmp.cmp === '-like' || cmp.cmp === '-notlike') && String(cmp.value).startsWith('*'))
      throw cmdletErrors.invalidArgument(
        parameter,
        `Exception setting "${parameter}": "Wildcards cannot be used as the first character. Please revise the filter criteria."`,
      );
    if (
      cmp.prop.toLowerCase() === 'memberofgroup' &&
      typeof cmp.value === 'string' &&
      !/^(cn|ou|dc)=/i.test(cmp.value) &&
      !cmp.value.includes('/')
    )
      throw cmdletErrors.invalidArgument(
        parameter,
        `Exception setting "${parameter}": "The value "${cmp.value}" of property MemberOfGroup isn't a distinguished name or canonical name of a group."`,
      );
  }
}
