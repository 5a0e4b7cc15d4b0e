// Whether the on-prem group is kept (renamed, mail-disabled, stamped) or deleted once the cloud DL has taken over
// (docs/reference-behaviour.md#permission-dependencies-and-retention). Keeping is the default and is forced whenever deleting could lose an access right.

export interface RetentionInput {
  readonly requested: 'retain' | 'delete';
  readonly onPremSecurity: boolean;
  /** On-prem objects the group holds Send-As / FullAccess / folder rights on, or objects it manages. */
  readonly permissionDependants: number;
}

export interface RetentionDecision {
  readonly dispose: 'retain' | 'delete';
  /** Why deletion was overridden; undefined when the request stands. */
  readonly forcedBecause?: string;
}

export function decideRetention(input: RetentionInput): RetentionDecision {
  if (input.requested === 'retain') return { dispose: 'retain' };
  if (input.onPremSecurity) {
    return {
      dispose: 'retain',
      forcedBecause: 'it is a security group and may still grant access on-premises',
    };
  }
  if (input.permissionDependants > 0) {
    return {
      dispose: 'retain',
      forcedBecause: `it holds rights on ${input.permissionDependants} on-premises objects`,
    };
  }
  return { dispose: 'delete' };
}
