// Synthetic snapshots for the engine's pure-logic tests (validation, parity, plan), and a migration to store them
// under for the tests of what is stored and read back. Not part of the build.
import { FORWARD_LINKS, type AdGroup, type AdRecipient } from '@dlmigrate/ad';
import type { JsonObject, MigrationRecord, StateStore } from '@dlmigrate/state';
import { DEFAULT_OPTIONS } from '../options.js';
import type { Snapshot } from './snapshot.js';
import type { CloudGroupFacts } from '../verify/expected.js';
import { memberPageFindings, snapshotMemberPage } from './member-pages.js';
import type { MemberFindings } from './validation.js';
import { membersNotSynced, syncedMemberKeys } from './parity.js';
import type { Finding } from '../findings/finding.js';
import type { MemberRecord } from '@dlmigrate/exo';

const DN = 'CN=Sales,OU=Groups,DC=lab,DC=test';
export const emptyLinks = Object.fromEntries(
  FORWARD_LINKS.map((k) => [k, [] as string[]]),
) as AdGroup['links'];

/** A mailbox user resolved from a link, `name` its display name; `id` its ExternalDirectoryObjectId (User_<id>). */
export function mailbox(name: string, id: string, extra: Partial<AdRecipient> = {}): AdRecipient {
  const local = name.split(' ')[0]!.toLowerCase();
  return {
    dn: `CN=${name.split(' ')[0]},DC=lab,DC=test`,
    objectGuid: local[0]!,
    objectClass: 'user',
    kind: 'mailbox',
    name,
    mail: `${local}@contoso.com`,
    lookupAddress: `${local}@contoso.com`,
    externalDirectoryObjectId: `User_${id}`,
    ...extra,
  };
}

function group(extra: Partial<AdGroup> = {}): AdGroup {
  return {
    dn: DN,
    parentDn: 'OU=Groups,DC=lab,DC=test',
    objectGuid: 'g',
    objectSid: 'S-1-5-21-1',
    name: 'Sales',
    cn: 'Sales',
    sAMAccountName: 'sales',
    mailNickname: 'sales',
    mail: 'sales@contoso.com',
    proxyAddresses: [
      { prefix: 'SMTP', primary: true, address: 'sales@contoso.com', raw: 'SMTP:sales@contoso.com' },
    ],
    legacyExchangeDN: '/o=Contoso/cn=sales',
    externalDirectoryObjectId: 'Group_1',
    groupType: { raw: 8, scope: 'universal', security: false },
    links: emptyLinks,
    backLinks: {} as AdGroup['backLinks'],
    settings: { senderHintTranslations: [], extensionAttributes: {}, extensionCustomAttributes: {} },
    sendAs: [],
    skippedSendAs: [],
    protectedFromAccidentalDeletion: false,
    raw: {},
    ...extra,
  };
}

export function snapshot(
  extra: {
    group?: Partial<AdGroup>;
    recipients?: AdRecipient[];
    missing?: string[];
    tenant?: Partial<Snapshot['tenant']>;
    cloud?: Partial<Snapshot['cloud']>;
    cloudDependants?: Partial<Snapshot['cloudDependants']>;
    nonSyncOuExists?: boolean;
  } = {},
): Snapshot {
  const cloudGroup = {
    isDirSynced: true,
    recipientTypeDetails: 'MailUniversalDistributionGroup',
    alias: 'sales',
    displayName: 'Sales',
    settings: {},
  } as unknown as NonNullable<Snapshot['cloud']['group']>;
  return {
    onPrem: {
      matches: [{ dn: DN, objectClass: 'group', isGroup: true }],
      group: group(extra.group),
      schemaModern: true,
      nonSyncOuExists: extra.nonSyncOuExists ?? true,
    },
    links: { recipients: extra.recipients ?? [], missing: [] },
    dependants: [],
    cloud: { recipient: cloudGroup, group: cloudGroup, graphGroup: null, ...extra.cloud },
    cloudDependants: { dependants: [], sendAsAsTrustee: [], sendAsOnGroup: [], ...extra.cloudDependants },
    cloudLookup: { found: {}, missing: extra.missing ?? [] },
    tenant: {
      acceptedDomains: ['contoso.com', 'contoso.mail.onmicrosoft.com'],
      centralizedTransport: false,
      detectedRoutingDomain: 'contoso.mail.onmicrosoft.com',
      groupManagerBypass: true,
      ...extra.tenant,
    },
  };
}

/** What verify knows of the new DL the synthetic group becomes (verify/expected.ts CloudGroupFacts). */
export function salesFacts(selfForms: readonly string[] = ['sales@contoso.com']): CloudGroupFacts {
  return {
    label: 'sales@contoso.com',
    name: 'Sales',
    addresses: ['SMTP:sales@contoso.com'],
    primary: 'sales@contoso.com',
    cloudType: 'Distribution',
    affixes: {},
    selfForms,
  };
}

/** A running recreate migration of a group with a random address, with the default options stored. */
export function runningMigration(state: StateStore): Promise<MigrationRecord> {
  return state.createMigration({
    group: { address: `g${Math.random().toString(36).slice(2)}@contoso.com` },
    strategy: 'recreate',
    options: JSON.parse(JSON.stringify(DEFAULT_OPTIONS)) as JsonObject,
    status: 'running',
  });
}

/**
 * What validate finds of a synthetic snapshot's members: it keeps them with its other links, so they are one page
 * (engine/member-pages.ts snapshotMemberPage), read without a store.
 */
export function membersIn(s: Snapshot, skipNestedGroupCheck = false): MemberFindings {
  const page = snapshotMemberPage(s, skipNestedGroupCheck);
  return page === undefined ? { problems: [], nestedKept: [] } : memberPageFindings(page);
}

/** The members of a synthetic snapshot its synced cloud copy (`synced`) does not hold, as the parity check finds them. */
export function membersNotSyncedIn(s: Snapshot, synced: readonly MemberRecord[]): Finding[] {
  const page = snapshotMemberPage(s, false);
  return page === undefined ? [] : membersNotSynced(page.resolved, syncedMemberKeys(synced));
}
