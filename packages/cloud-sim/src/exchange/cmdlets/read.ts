// Get-* cmdlets over recipients, domains and connectors.
import { defineCmdlet, lazy, type CmdletContext, type CmdletDefinition } from '../cmdlet.js';
import { cmdletErrors } from '../errors.js';
import { applyFilter } from '../filter.js';
import type { BoundParameters, ParamSpec } from '../params.js';
import { isDistributionGroup, isRecipient, type Recipient, type RecipientTypeDetails } from '../recipient.js';
import { renderGroup, renderRecipient, renderUser, type OutputObject } from '../render.js';
import { securityIdentifier } from '../sid.js';

/** Exchange's default page of results when -ResultSize is not given. */
const defaultResultSize = 1000;

function resultSizeWarning(size: number): string {
  return `By default, only the first ${size} items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify "-ResultSize Unlimited". Be aware that, depending upon the actual number of items, returning all items can take a long time and consume a large amount of memory.`;
}

/** Applies -ResultSize (default 1000) and adds Exchange's warning when results were cut. */
export function limitResults<T>(ctx: CmdletContext, p: BoundParameters, items: T[]): T[] {
  const size = p.number('ResultSize') ?? defaultResultSize;
  if (items.length > size) {
    if (!p.has('ResultSize')) ctx.warnings.push(resultSizeWarning(size));
    return items.slice(0, size);
  }
  return items;
}

const listParams: ParamSpec = {
  Identity: { kind: 'string' },
  Filter: { kind: 'string' },
  ResultSize: { kind: 'resultSize' },
  RecipientTypeDetails: { kind: 'list' },
};

interface RecipientQueryOptions {
  name: string;
  /** Which objects this cmdlet sees at all (Get-DistributionGroup sees only groups, …). */
  scope: (r: Recipient) => boolean;
  extraParams?: ParamSpec;
  render?: typeof renderRecipient;
}

function recipientQuery({
  name,
  scope,
  extraParams,
  render = renderRecipient,
}: RecipientQueryOptions): CmdletDefinition {
  return defineCmdlet({
    name,
    readOnly: true,
    params: { ...listParams, ...extraParams },
    run(ctx, p) {
      // Soft-deleted recipients only for Get-Recipient -IncludeSoftDeletedRecipients (Get-Recipient.md).
      const softDeleted = p.bool('IncludeSoftDeletedRecipients') === true;
      const softDeletedToo = () => (softDeleted ? ctx.dir.softDeleted() : []);
      const everything = () => [...ctx.dir.all(), ...softDeletedToo()];
      const identity = p.string('Identity');
      if (identity !== undefined) {
        if (p.has('Filter')) throw cmdletErrors.conflictingParameters('Identity', 'Filter');
        return [render(ctx.dir, ctx.dir.resolve(identity, scope, undefined, { softDeleted }))];
      }
      const filter = p.string('Filter');
      const pool = filter
        ? applyFilter(ctx.dir, filter, name, () => ctx.dir.all(), { unindexed: softDeletedToo })
        : everything();
      const types = p.list('RecipientTypeDetails')?.map((t) => t.toLowerCase());
      const recipientTypes = p.list('RecipientType')?.map((t) => t.toLowerCase());
      const matches = pool
        .filter(scope)
        .filter((r) => !types || types.includes(r.RecipientTypeDetails.toLowerCase()))
        .filter((r) => !recipientTypes || recipientTypes.includes(r.RecipientType.toLowerCase()))
        .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
      return lazy(limitResults(ctx, p, matches), (r) => render(ctx.dir, r));
    },
  });
}

const detailsIn =
  (...types: RecipientTypeDetails[]) =>
  (r: Recipient) =>
    types.includes(r.RecipientTypeDetails);

export const readCmdlets: CmdletDefinition[] = [
  recipientQuery({
    name: 'Get-Recipient',
    scope: isRecipient,
    extraParams: {
      RecipientType: { kind: 'list' },
      Properties: { kind: 'list' },
      IncludeSoftDeletedRecipients: { kind: 'bool' },
    },
  }),
  recipientQuery({
    name: 'Get-DistributionGroup',
    scope: isDistributionGroup,
    extraParams: { IncludeSoftDeletedGroups: { kind: 'bool' } },
  }),
  recipientQuery({ name: 'Get-DynamicDistributionGroup', scope: detailsIn('DynamicDistributionGroup') }),
  recipientQuery({ name: 'Get-UnifiedGroup', scope: detailsIn('GroupMailbox') }),
  recipientQuery({ name: 'Get-Mailbox', scope: (r) => r.RecipientType === 'UserMailbox' }),
  recipientQuery({ name: 'Get-MailUser', scope: detailsIn('MailUser') }),
  recipientQuery({ name: 'Get-MailContact', scope: detailsIn('MailContact') }),
  // Get-Group: the group objects behind distribution groups, mail-enabled security groups and Microsoft 365 groups.
  recipientQuery({
    name: 'Get-Group',
    scope: (r) => isDistributionGroup(r) || r.RecipientTypeDetails === 'GroupMailbox',
    render: (dir, r) => renderGroup(dir, r, securityIdentifier(r)),
  }),
  // Get-User sees every user object, mail-enabled or not (RecipientType User / UserMailbox / MailUser).
  recipientQuery({
    name: 'Get-User',
    scope: (r) => ['User', 'UserMailbox', 'MailUser'].includes(r.RecipientType),
    render: renderUser,
  }),
  defineCmdlet({
    name: 'Get-DistributionGroupMember',
    readOnly: true,
    params: {
      Identity: { kind: 'string' },
      ResultSize: { kind: 'resultSize' },
      IncludeSoftDeletedObjects: { kind: 'bool' },
    },
    mandatory: ['Identity'],
    run(ctx, p) {
      const group = ctx.dir.resolve(p.string('Identity')!, isDistributionGroup);
      const members = group.Members.map((g) => ctx.dir.get(g)).filter((r): r is Recipient => r !== undefined);
      return lazy(limitResults(ctx, p, members), (r) => renderRecipient(ctx.dir, r));
    },
  }),
  defineCmdlet({
    name: 'Get-AcceptedDomain',
    readOnly: true,
    params: { Identity: { kind: 'string' }, ResultSize: { kind: 'resultSize' } },
    run(ctx, p) {
      const identity = p.string('Identity')?.toLowerCase();
      const domains = ctx.tenant.acceptedDomains.filter(
        (d) => !identity || d.DomainName.toLowerCase() === identity,
      );
      if (identity && domains.length === 0) throw cmdletErrors.notFound(p.string('Identity')!);
      return domains.map((d): OutputObject => ({
        Identity: d.DomainName,
        Name: d.DomainName,
        Id: d.DomainName,
        DomainName: d.DomainName,
        DomainType: d.DomainType,
        Default: d.Default,
        InitialDomain: d.InitialDomain,
        AuthenticationType: 'Managed',
        MatchSubDomains: false,
      }));
    },
  }),
  defineCmdlet({
    name: 'Get-OutboundConnector',
    readOnly: true,
    params: { Identity: { kind: 'string' }, IncludeTestModeConnectors: { kind: 'bool' } },
    run(ctx, p) {
      const identity = p.string('Identity')?.toLowerCase();
      const connectors = ctx.tenant.outboundConnectors.filter(
        (c) => !identity || c.Name.toLowerCase() === identity,
      );
      if (identity && connectors.length === 0) throw cmdletErrors.notFound(p.string('Identity')!);
      return connectors.map((c): OutputObject => ({ Identity: c.Name, ...c }));
    },
  }),
];
