// New-/Get-/Set-/Remove-TransportRule: mail flow rules, with the conditions, exceptions and actions that name
// recipients or groups (office-docs-powershell: New-TransportRule.md, Set-TransportRule.md, Get-TransportRule.md)
// and a few common ones that don't, so seeded rules look like real ones.
import { randomUUID } from 'node:crypto';
import { defineCmdlet, type CmdletContext, type CmdletDefinition } from '../cmdlet.js';
import { changes, configOf, type TransportRule } from '../config-state.js';
import { cmdletErrors, refuseTakenName } from '../errors.js';
import { compare, parseFilter } from '../filter.js';
import type { BoundParameters, ParamSpec } from '../params.js';
import { isDistributionGroup, isRecipient, type Recipient } from '../recipient.js';
import type { OutputObject } from '../render.js';
import { limitResults } from './read.js';

const memberOfConditions = [
  'FromMemberOf',
  'SentToMemberOf',
  'AnyOfToHeaderMemberOf',
  'AnyOfCcHeaderMemberOf',
  'AnyOfToCcHeaderMemberOf',
  'BetweenMemberOf1',
  'BetweenMemberOf2',
];
const recipientConditions = [
  'From',
  'SentTo',
  'AnyOfToHeader',
  'AnyOfCcHeader',
  'AnyOfToCcHeader',
  'ManagerAddresses',
  ...memberOfConditions,
];
/** Actions that name recipients (GenerateIncidentReport takes one). */
const recipientActions = [
  'AddToRecipients',
  'CopyTo',
  'BlindCopyTo',
  'RedirectMessageTo',
  'ModerateMessageByUser',
  'GenerateIncidentReport',
];
/** Every RecipientIdParameter[] of the cmdlet: conditions, their ExceptIf exceptions, and actions. */
const transportRuleRecipientParameters: readonly string[] = [
  ...recipientConditions,
  ...recipientConditions.map((c) => `ExceptIf${c}`),
  ...recipientActions,
];
/** Parameters that name groups only ("…members of distribution groups, dynamic distribution groups, or mail-enabled security groups"). */
const groupParameters = new Set([...memberOfConditions, ...memberOfConditions.map((c) => `ExceptIf${c}`)]);
/** GenerateIncidentReport takes one recipient (RecipientIdParameter, not an array). */
const singleRecipientParameters = new Set(['GenerateIncidentReport']);

const wordConditions = [
  'SubjectContainsWords',
  'SubjectOrBodyContainsWords',
  'SenderDomainIs',
  'RecipientDomainIs',
];
const otherParams: ParamSpec = {
  ...Object.fromEntries(
    [...wordConditions, ...wordConditions.map((c) => `ExceptIf${c}`)].map((n) => [
      n,
      { kind: 'list' } as const,
    ]),
  ),
  FromScope: { kind: 'enum', values: ['InOrganization', 'NotInOrganization'] },
  ExceptIfFromScope: { kind: 'enum', values: ['InOrganization', 'NotInOrganization'] },
  SentToScope: {
    kind: 'enum',
    values: ['InOrganization', 'NotInOrganization', 'ExternalPartner', 'ExternalNonPartner'],
  },
  ExceptIfSentToScope: {
    kind: 'enum',
    values: ['InOrganization', 'NotInOrganization', 'ExternalPartner', 'ExternalNonPartner'],
  },
  PrependSubject: { kind: 'string' },
  SetHeaderName: { kind: 'string' },
  SetHeaderValue: { kind: 'string' },
  RejectMessageReasonText: { kind: 'string' },
  RejectMessageEnhancedStatusCode: { kind: 'string' },
  ApplyHtmlDisclaimerText: { kind: 'string' },
  ApplyHtmlDisclaimerLocation: { kind: 'enum', values: ['Append', 'Prepend'] },
  ApplyHtmlDisclaimerFallbackAction: { kind: 'enum', values: ['Wrap', 'Ignore', 'Reject'] },
  DeleteMessage: { kind: 'bool' },
  StopRuleProcessing: { kind: 'bool' },
  ModerateMessageByManager: { kind: 'bool' },
  Quarantine: { kind: 'bool' },
};

const ruleParams: ParamSpec = {
  Name: { kind: 'string', maxLength: 64 },
  Priority: { kind: 'int' },
  Mode: { kind: 'enum', values: ['Audit', 'AuditAndNotify', 'Enforce'] },
  Comments: { kind: 'string', maxLength: 1024 },
  ...Object.fromEntries(
    transportRuleRecipientParameters.map((n) => [
      n,
      singleRecipientParameters.has(n) ? ({ kind: 'string' } as const) : ({ kind: 'list' } as const),
    ]),
  ),
  ...otherParams,
};

function findRule(ctx: CmdletContext, identity: string): TransportRule {
  const wanted = identity.trim().toLowerCase();
  const rule = configOf(ctx.tenant).transportRules.find(
    (r) =>
      r.Name.toLowerCase() === wanted ||
      r.Guid.toLowerCase() === wanted ||
      ruleDistinguishedName(ctx, r).toLowerCase() === wanted,
  );
  if (!rule) throw cmdletErrors.notFound(identity);
  return rule;
}

function ruleDistinguishedName(ctx: CmdletContext, r: TransportRule): string {
  return `CN=${r.Name},CN=TransportVersioned,CN=Rules,CN=Transport Settings,CN=${ctx.tenant.initialDomain},CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM`;
}

/** Resolves one rule value to what the rule keeps: the recipient's primary address, or its Guid (binding). */
function storedValue(ctx: CmdletContext, parameter: string, identity: string): string {
  const r: Recipient = ctx.dir.resolve(identity, isRecipient, cmdletErrors.recipientNotFound);
  if (
    groupParameters.has(parameter) &&
    !isDistributionGroup(r) &&
    r.RecipientType !== 'DynamicDistributionGroup'
  )
    throw cmdletErrors.invalidValue(
      parameter,
      `"${identity}" isn't a distribution group, dynamic distribution group or mail-enabled security group.`,
    );
  if (parameter === 'ModerateMessageByUser' && isDistributionGroup(r))
    throw cmdletErrors.invalidValue(
      parameter,
      `You can't use a distribution group as a moderator ("${identity}").`,
    );
  return configOf(ctx.tenant).transportRuleBinding === 'object' ? r.Guid : r.PrimarySmtpAddress;
}

function applyRuleSettings(ctx: CmdletContext, rule: TransportRule, p: BoundParameters): void {
  for (const parameter of transportRuleRecipientParameters) {
    if (!p.has(parameter)) continue;
    const given = singleRecipientParameters.has(parameter)
      ? [p.nullableString(parameter)].filter((v): v is string => typeof v === 'string')
      : (p.list(parameter) ?? []);
    const values = [...new Set(given.map((v) => storedValue(ctx, parameter, v)))];
    if (values.length === 0) delete rule.recipients[parameter];
    else rule.recipients[parameter] = values;
  }
  for (const name of Object.keys(otherParams)) {
    if (!p.has(name)) continue;
    const value = p.list(name) ?? p.bool(name) ?? p.nullableString(name);
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
      delete rule.other[name];
    else rule.other[name] = value;
  }
  const mode = p.string('Mode');
  if (mode !== undefined) rule.Mode = mode as TransportRule['Mode'];
  const comments = p.nullableString('Comments');
  if (comments !== undefined) rule.Comments = comments ?? '';
}

/** Puts the rule at `priority` (0 = first); the others keep their order around it. */
function placeRule(ctx: CmdletContext, rule: TransportRule, priority: number, count: number): void {
  if (priority < 0 || priority >= count)
    throw cmdletErrors.invalidValue(
      'Priority',
      `The value ${priority} is out of range. Valid values are 0 through ${count - 1}.`,
    );
  const rules = configOf(ctx.tenant).transportRules.filter((r) => r.Guid !== rule.Guid);
  rules.sort((a, b) => a.Priority - b.Priority);
  rules.splice(priority, 0, rule);
  rules.forEach((r, i) => (r.Priority = i));
  configOf(ctx.tenant).transportRules = rules;
}

function displayValues(ctx: CmdletContext, values: string[]): string[] {
  if (configOf(ctx.tenant).transportRuleBinding === 'address') return [...values];
  return values.map((g) => ctx.dir.get(g)?.PrimarySmtpAddress).filter((a): a is string => a !== undefined);
}

function describe(rule: TransportRule, shown: Record<string, string[]>): string {
  const lines = (prefix: (name: string) => boolean) =>
    Object.entries({ ...shown, ...rule.other })
      .filter(([name]) => prefix(name))
      .map(
        ([name, v]) =>
          `\t${name} ${Array.isArray(v) ? v.map((x) => `'${String(x)}'`).join(' or ') : `'${String(v)}'`}`,
      );
  const actionNames = new Set([
    ...recipientActions,
    'PrependSubject',
    'SetHeaderName',
    'SetHeaderValue',
    'RejectMessageReasonText',
    'RejectMessageEnhancedStatusCode',
    'ApplyHtmlDisclaimerText',
    'ApplyHtmlDisclaimerLocation',
    'ApplyHtmlDisclaimerFallbackAction',
    'DeleteMessage',
    'StopRuleProcessing',
    'ModerateMessageByManager',
    'Quarantine',
  ]);
  const conditions = lines((n) => !n.startsWith('ExceptIf') && !actionNames.has(n));
  const actions = lines((n) => actionNames.has(n));
  const exceptions = lines((n) => n.startsWith('ExceptIf'));
  return [
    ...(conditions.length ? ['If the message:', ...conditions] : []),
    ...(actions.length ? ['Take the following actions:', ...actions] : []),
    ...(exceptions.length ? ['Except if the message:', ...exceptions] : []),
  ].join('\r\n');
}

function shownRecipients(ctx: CmdletContext, rule: TransportRule): Record<string, string[]> {
  const shown: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(rule.recipients)) {
    const display = displayValues(ctx, values);
    if (display.length > 0) shown[name] = display;
  }
  return shown;
}

function renderRule(ctx: CmdletContext, rule: TransportRule, hideDetails: boolean): OutputObject {
  const shown = shownRecipients(ctx, rule);
  const out: OutputObject = {
    Identity: rule.Name,
    Name: rule.Name,
    Guid: rule.Guid,
    ImmutableId: rule.Guid,
    DistinguishedName: ruleDistinguishedName(ctx, rule),
    Priority: rule.Priority,
    State: rule.State,
    Mode: rule.Mode,
    Comments: rule.Comments,
    RuleVersion: '15.0.5.2',
    WhenChanged: rule.WhenChanged,
    Description: hideDetails ? '' : describe(rule, shown),
  };
  for (const parameter of transportRuleRecipientParameters) {
    const values = hideDetails ? undefined : shown[parameter];
    out[parameter] =
      values === undefined ? null : singleRecipientParameters.has(parameter) ? values[0] : values;
  }
  for (const name of Object.keys(otherParams)) out[name] = hideDetails ? null : (rule.other[name] ?? null);
  const kinds = Object.keys({ ...shown, ...rule.other });
  out['Conditions'] = hideDetails ? null : kinds.filter((k) => !k.startsWith('ExceptIf'));
  out['Exceptions'] = hideDetails ? null : kinds.filter((k) => k.startsWith('ExceptIf'));
  return out;
}

/** Get-TransportRule -Filter searches the Description: "Description -like 'Text*'". */
function descriptionFilter(filter: string): (description: string) => boolean {
  const node = parseFilter(filter);
  const test = (n: typeof node, description: string): boolean => {
    switch (n.op) {
      case 'and':
        return test(n.left, description) && test(n.right, description);
      case 'or':
        return test(n.left, description) || test(n.right, description);
      case 'not':
        return !test(n.expr, description);
      case 'cmp':
        if (n.prop.toLowerCase() !== 'description')
          throw cmdletErrors.invalidArgument(
            'Filter',
            `"${n.prop}" is not a recognized filterable property. Get-TransportRule filters on Description.`,
          );
        return compare([description], n.cmp, n.value);
    }
  };
  return (description) => test(node, description);
}

export const transportRuleCmdlets: CmdletDefinition[] = [
  defineCmdlet({
    name: 'New-TransportRule',
    readOnly: false,
    params: { ...ruleParams, Enabled: { kind: 'bool' } },
    mandatory: ['Name'],
    run(ctx, p) {
      const config = configOf(ctx.tenant);
      const name = p.string('Name')!;
      refuseTakenName(config.transportRules, name);
      const rule: TransportRule = {
        Guid: randomUUID(),
        Name: name,
        Priority: config.transportRules.length,
        State: p.bool('Enabled') === false ? 'Disabled' : 'Enabled',
        Mode: 'Enforce',
        Comments: '',
        recipients: {},
        other: {},
        WhenChanged: new Date().toISOString(),
      };
      applyRuleSettings(ctx, rule, p);
      config.transportRules.push(rule);
      placeRule(
        ctx,
        rule,
        p.number('Priority') ?? config.transportRules.length - 1,
        config.transportRules.length,
      );
      return [renderRule(ctx, rule, false)];
    },
  }),
  defineCmdlet({
    name: 'Get-TransportRule',
    readOnly: true,
    params: {
      Identity: { kind: 'string' },
      State: { kind: 'enum', values: ['Enabled', 'Disabled'] },
      DlpPolicy: { kind: 'string' },
      ExcludeConditionActionDetails: { kind: 'bool' },
      Filter: { kind: 'string' },
      ResultSize: { kind: 'resultSize' },
    },
    run(ctx, p) {
      const hide = p.bool('ExcludeConditionActionDetails') === true;
      const identity = p.string('Identity');
      if (identity !== undefined) return [renderRule(ctx, findRule(ctx, identity), hide)];
      const state = p.string('State');
      const filter = p.string('Filter');
      const matches = filter ? descriptionFilter(filter) : () => true;
      const rules = [...configOf(ctx.tenant).transportRules]
        .sort((a, b) => a.Priority - b.Priority)
        .filter((r) => state === undefined || r.State === state)
        .filter((r) => matches(describe(r, shownRecipients(ctx, r))));
      return limitResults(ctx, p, rules).map((r) => renderRule(ctx, r, hide));
    },
  }),
  defineCmdlet({
    name: 'Set-TransportRule',
    readOnly: false,
    params: { Identity: { kind: 'string' }, ...ruleParams },
    mandatory: ['Identity'],
    run(ctx, p) {
      const config = configOf(ctx.tenant);
      const stored = findRule(ctx, p.string('Identity')!);
      const draft = structuredClone(stored);
      const name = p.string('Name');
      if (name !== undefined && name.toLowerCase() !== stored.Name.toLowerCase()) {
        refuseTakenName(config.transportRules, name);
        draft.Name = name;
      } else if (name !== undefined) draft.Name = name;
      applyRuleSettings(ctx, draft, p);
      if (!p.has('Priority') && !changes(ctx, stored, draft, stored.Name)) return;
      draft.WhenChanged = new Date().toISOString();
      const index = config.transportRules.findIndex((r) => r.Guid === stored.Guid);
      config.transportRules[index] = draft;
      const priority = p.number('Priority');
      if (priority !== undefined) placeRule(ctx, draft, priority, config.transportRules.length);
    },
  }),
  defineCmdlet({
    name: 'Remove-TransportRule',
    readOnly: false,
    params: { Identity: { kind: 'string' } },
    mandatory: ['Identity'],
    run(ctx, p) {
      const config = configOf(ctx.tenant);
      const rule = findRule(ctx, p.string('Identity')!);
      config.transportRules = config.transportRules
        .filter((r) => r.Guid !== rule.Guid)
        .sort((a, b) => a.Priority - b.Priority);
      config.transportRules.forEach((r, i) => (r.Priority = i));
    },
  }),
];
