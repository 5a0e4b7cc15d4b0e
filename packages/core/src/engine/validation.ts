// Research §2 phases 3–8 as one pure function over the snapshot: every blocker, gathered together (never just the
// first), each with its code and the object it concerns. Also the decisions validation implies (cloud group type,
// routing domain), so plan and migrate compute them the same way.
import { dnEquals, FORWARD_OF_BACK_LINK, isUnder, type DependantsResult } from '@dlmigrate/ad';
import { finding, type Finding } from '../findings/finding.js';
import { addressDomains, chosenPrimary } from '../mapping/addresses.js';
import { cloudGroupType, type CloudGroupType } from '../mapping/group-type.js';
import { fitsNameLimit, withAffixes } from '../mapping/names.js';
import type { MigrationOptions } from '../options.js';
import { resolveLinks, type ResolvedLink } from './resolution.js';
import type { Snapshot } from './snapshot.js';

export interface Validation {
  readonly findings: readonly Finding[];
  readonly resolved: readonly ResolvedLink[];
  readonly cloudType: CloudGroupType | null;
  readonly routingDomain: string | null;
}

/** Cloud dependants that need the new DL to be a security principal (docs/reference-behaviour.md#cloud-dependants). */
function needsSecurityPrincipal(snapshot: Snapshot, options: MigrationOptions): boolean {
  const d = snapshot.cloudDependants;
  const holdsMailboxRights =
    options.permissionHolder === 'make-security' && (snapshot.permissions?.held.length ?? 0) > 0;
  return (
    d.sendAsAsTrustee.length > 0 || d.dependants.some((x) => x.link === 'ManagedBy') || holdsMailboxRights
  );
}

/**
 * What validate finds of the members, read a page at a time (engine/member-pages.ts memberFindings): their links'
 * problems and the child groups they keep.
 */
export interface MemberFindings {
  readonly problems: readonly Finding[];
  readonly nestedKept: readonly Finding[];
}

/** Links that cannot follow the group (rejected), and recipients and users Exchange Online does not know (`missing`). */
export function linkProblems(resolved: readonly ResolvedLink[], missing: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  for (const r of resolved) {
    if (r.resolution.kind === 'rejected') findings.push(r.resolution.finding);
    else if (
      (r.resolution.kind === 'recipient' || r.resolution.kind === 'user') &&
      missing.has(r.resolution.identity)
    ) {
      findings.push(
        finding(
          'OFFICE_365_DEPENDENCY_NOT_FOUND_EXCEPTION',
          r.resolution.identity,
          `${r.resolution.dn} (${r.attribute}) is not in Exchange Online`,
          r.attribute,
        ),
      );
    }
  }
  return findings;
}

/** skipNestedGroupCheck: a child group not migrated yet stays a synced member of the new cloud group (stage adds it). */
export function nestedGroupsKept(resolved: readonly ResolvedLink[]): Finding[] {
  const findings: Finding[] = [];
  for (const r of resolved) {
    const kind = r.object?.kind;
    if (r.list !== 'members' || r.resolution.kind !== 'recipient') continue;
    if (kind !== 'mail-enabled-group' && kind !== 'mail-only-security-group') continue;
    findings.push(
      finding(
        'NESTED_GROUP_KEPT',
        r.object?.mail ?? r.resolution.identity,
        `${r.resolution.dn} stays a member while it is still mastered on-premises`,
        r.attribute,
      ),
    );
  }
  return findings;
}

export function validate(
  address: string,
  snapshot: Snapshot,
  options: MigrationOptions,
  members: MemberFindings,
): Validation {
  const findings: Finding[] = [];
  const { onPrem, cloud, tenant } = snapshot;
  const routingDomain = options.customRoutingDomain ?? tenant.detectedRoutingDomain;

  if (onPrem.matches.length === 0)
    findings.push(finding('GROUP_NOT_FOUND', address, 'no directory object has this mail address'));
  if (onPrem.matches.length > 1) {
    findings.push(
      finding(
        'DUPLICATE_MAIL',
        address,
        `held by ${onPrem.matches.length} objects: ${onPrem.matches.map((m) => m.dn).join('; ')}`,
      ),
    );
  }
  if (onPrem.matches.length === 1 && !onPrem.matches[0]!.isGroup) {
    findings.push(
      finding('NOT_A_GROUP', address, `${onPrem.matches[0]!.dn} is a ${onPrem.matches[0]!.objectClass}`),
    );
  }
  const group = onPrem.group;
  if (group === null) return { findings, resolved: [], cloudType: null, routingDomain };

  if (group.protectedFromAccidentalDeletion) {
    findings.push(
      finding('PROTECTED_FROM_DELETION', group.dn, 'an ACE denies deletion, so the group cannot be moved'),
    );
  }
  if (group.adminCount === 1)
    findings.push(
      finding(
        'ADMIN_SD_HOLDER_PROTECTED',
        group.dn,
        'adminCount is 1: AdminSDHolder protects the group (a member, now or before, of a protected group)',
        'adminCount',
      ),
    );
  for (const orphan of group.skippedSendAs)
    if (orphan.reason === 'orphaned')
      findings.push(
        finding(
          'SEND_AS_TRUSTEE_ORPHANED',
          group.dn,
          `Send-As for ${orphan.sid}, which no directory object carries any more, is not carried over`,
          'ntSecurityDescriptor (Send-As)',
        ),
      );
  if (group.marker !== undefined) {
    findings.push(finding('ALREADY_MIGRATED', group.dn, `extensionAttribute1 is "${group.marker.tag}"`));
  }

  // The cloud side: a synced DL or mail-enabled security group, unless non-synced groups are allowed.
  if (options.allowNonSyncedGroup) {
    const lacking = [
      group.mail ? undefined : 'mail',
      group.legacyExchangeDN ? undefined : 'legacyExchangeDN',
      group.proxyAddresses.length > 0 ? undefined : 'proxyAddresses',
      group.mailNickname ? undefined : 'mailNickname',
    ].filter((x) => x !== undefined);
    if (lacking.length > 0)
      findings.push(finding('NON_SYNCED_GROUP_INCOMPLETE', group.dn, `missing ${lacking.join(', ')}`));
  } else if (cloud.recipient === null) {
    findings.push(
      finding('CLOUD_GROUP_NOT_FOUND', address, 'Exchange Online has no recipient with this id or address'),
    );
  } else if (
    cloud.group === null ||
    !['MailUniversalDistributionGroup', 'MailUniversalSecurityGroup', 'RoomList'].includes(
      cloud.recipient.recipientTypeDetails,
    )
  ) {
    findings.push(
      finding(
        'CLOUD_GROUP_WRONG_TYPE',
        address,
        `Exchange Online holds it as ${cloud.recipient.recipientTypeDetails}`,
      ),
    );
  } else if (!cloud.group.isDirSynced) {
    findings.push(
      finding(
        'GROUP_NOT_SYNCED',
        address,
        'the cloud group is not directory-synced (already cloud-managed?)',
      ),
    );
  }

  // Links (phase 7) and their existence in Exchange Online (phase 8.4); the members (read a page at a time) first.
  const resolved = resolveLinks(group, snapshot.links, options.skipNestedGroupCheck);
  findings.push(...members.problems);
  findings.push(...linkProblems(resolved, new Set(snapshot.cloudLookup.missing)));
  findings.push(...members.nestedKept);
  for (const r of resolved) {
    if (r.list !== 'managedBy' || r.object === undefined) continue;
    if (
      r.resolution.kind === 'recipient' &&
      r.resolution.isGroup &&
      r.object.groupType !== undefined &&
      !r.object.groupType.security
    ) {
      findings.push(
        finding(
          'GROUP_NO_LONGER_SECURITY_EXCEPTION',
          r.object.mail ?? r.object.dn,
          `${r.object.dn} manages the group but is not a security group`,
          r.attribute,
        ),
      );
    }
  }
  const managesItself = resolved.some((r) => r.list === 'managedBy' && r.resolution.kind === 'self');
  if (managesItself && options.groupTypeOverride === 'Distribution') {
    findings.push(
      finding(
        'GROUP_OVERRIDE_MANAGER_NOT_ALLOWED',
        group.dn,
        'the group is its own manager, so it must stay a security group',
      ),
    );
  }

  // The primary address a recreate gives the new group, when it is not mail (mapping/addresses.ts chosenPrimary).
  if (options.strategy === 'recreate' && group.mail !== undefined) {
    const primary = chosenPrimary(
      group.mail,
      group.proxyAddresses.map((p) => p.raw),
      cloud.group?.primarySmtpAddress,
    );
    if (primary.toLowerCase() !== group.mail.toLowerCase())
      findings.push(
        finding(
          'PRIMARY_ADDRESS_KEPT',
          group.mail,
          `mail ${group.mail} is not among the proxyAddresses; the new group keeps ${primary}, the primary address Exchange Online shows, and carries ${group.mail} as a secondary address`,
          'mail',
        ),
      );
  }

  // Names and domains (phase 8).
  const affixes = { prefix: options.namePrefix, suffix: options.nameSuffix };
  if (!fitsNameLimit(group.name, affixes)) {
    findings.push(
      finding(
        'NAME_LENGTH_EXCEPTION',
        group.dn,
        `"${withAffixes(group.name, affixes)}" is longer than 64 characters`,
      ),
    );
  }
  const accepted = new Set(tenant.acceptedDomains);
  for (const domain of addressDomains(
    group.mail,
    group.proxyAddresses.map((p) => p.raw),
  )) {
    if (!accepted.has(domain))
      findings.push(
        finding('UNKNOWN_ACCEPTED_DOMAIN', domain, `${domain} is not an accepted domain in Exchange Online`),
      );
  }
  if (tenant.centralizedTransport && !options.overrideCentralizedMailTransport) {
    findings.push(
      finding(
        'CENTRALIZED_MAIL_TRANSPORT',
        'outbound connectors',
        'a connector routes all outbound mail via on-premises',
      ),
    );
  }
  if (tenant.groupManagerBypass === false)
    findings.push(
      finding(
        'GROUP_MANAGER_BYPASS_DENIED',
        'Exchange Online role',
        'the app may not use -BypassSecurityGroupManagerCheck, which every change to the cloud group needs',
      ),
    );
  if (routingDomain === null)
    findings.push(finding('NO_ROUTING_DOMAIN', 'accepted domains', 'no *.mail.onmicrosoft.com domain found'));

  // The park OU (recreate only): it must exist and, as far as can be told, be outside the sync scope.
  if (options.strategy === 'recreate' && options.nonSyncOu !== undefined) {
    if (onPrem.nonSyncOuExists === false)
      findings.push(finding('NON_SYNC_OU_MISSING', options.nonSyncOu, 'no such OU'));
    else if (
      cloud.group?.isDirSynced === true &&
      (dnEquals(group.parentDn, options.nonSyncOu) || isUnder(group.dn, options.nonSyncOu))
    ) {
      findings.push(
        finding(
          'NON_SYNC_OU_IN_SYNC_SCOPE',
          options.nonSyncOu,
          'the group already lives there and is still synced to the cloud',
        ),
      );
    }
  }

  const held = snapshot.permissions?.held ?? [];
  if (held.length > 0 && options.permissionHolder === 'blocking' && !group.groupType.security) {
    findings.push(
      finding(
        'PERMISSION_HOLDER_NOT_SECURITY',
        address,
        `holds ${held.map((p) => `${p.kind} on ${p.mailbox}`).join(', ')}, which only a security group can hold in Exchange Online`,
      ),
    );
  }
  const cloudType = cloudGroupType(
    group.groupType.security,
    options.groupTypeOverride,
    needsSecurityPrincipal(snapshot, options),
  );
  return { findings, resolved, cloudType, routingDomain };
}

/**
 * Back links of the group that no DC or global catalog resolves (a domain without a reachable DC, a lingering
 * object): each one is reported, since rewire-onprem cannot point what it cannot read at the routing contact.
 */
export function unresolvedDependantFindings(unresolved: DependantsResult['unresolved']): Finding[] {
  return unresolved.map((u) =>
    finding(
      'ONPREM_DEPENDANT_UNRESOLVED',
      u.dn,
      `the group's ${u.backLink} names ${u.dn} (its ${FORWARD_OF_BACK_LINK[u.backLink]}), which no domain controller or global catalog resolves`,
      FORWARD_OF_BACK_LINK[u.backLink],
    ),
  );
}
