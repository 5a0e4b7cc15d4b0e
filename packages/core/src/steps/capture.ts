// capture: read the on-prem group, everything it links to and everything that depends on it, the synced
// cloud group and its dependants, and the tenant facts validation needs. Changes nothing; every part is persisted as
// a write-once backup before any later step runs.
import { normalizeSmtpAddress, type AdGroup, type DependantsResult } from '@dlmigrate/ad';
import {
  RESOLVE_PROPERTIES,
  resolveRecipientsAs,
  resolveUsers,
  routingDomainOf,
  type ExchangeOnline,
  type RecipientRecord,
  cloudIdentity,
} from '@dlmigrate/exo';
import {
  cloudIdentities,
  linkTargets,
  resolveLinks,
  resolveMembers,
  type ResolvedLink,
} from '../engine/resolution.js';
import { captureMemberPages, memberDns } from '../engine/member-pages.js';
import { readAddressHolders, type AddressHolder } from '../engine/address-holders.js';
import { carriedAddresses } from '../mapping/addresses.js';
import {
  ADDRESS_HOLDERS,
  captureOnce,
  linkedRecipient,
  SNAPSHOT_KINDS,
  SYNCED_MEMBERS,
  UNRESOLVED_DEPENDANTS,
  type CloudCapture,
  type CloudLookupCapture,
  type CloudRendering,
  type LinksCapture,
  type OnPremCapture,
  type PermissionsCapture,
  PERMISSIONS_KIND,
  rememberCapture,
  storeOnce,
  type TenantCapture,
} from '../engine/snapshot.js';
import type { PermissionRecord } from '@dlmigrate/state';
import { cloudObjectId } from '../mapping/links.js';
import { TEMPORARY_GROUP_PREFIX } from '../mapping/names.js';
import { captureReferences } from '../references/capture.js';
import type { MigrationStep } from './results.js';

export interface CaptureResult {
  readonly groupDn: string | null;
  readonly objectGuid: string | null;
  readonly cloudId: string | null;
}

export const capture: MigrationStep<'capture'> = {
  name: 'capture',
  async run(ctx): Promise<CaptureResult> {
    const { ad, exchange, graph, state } = ctx.deps;
    const id = ctx.migration.id;
    const address = normalizeSmtpAddress(ctx.migration.group.address);

    const onPrem = await captureOnce<OnPremCapture>(state, id, SNAPSHOT_KINDS.onPrem, async () => {
      const matches = await ad.findByAddress(address);
      const only = matches.length === 1 && matches[0]!.isGroup ? matches[0]! : undefined;
      const nonSyncOu = ctx.options.nonSyncOu;
      return {
        matches: matches.map((m) => ({ dn: m.dn, objectClass: m.objectClass, isGroup: m.isGroup })),
        group: only === undefined ? null : await ad.readGroup(only.dn),
        schemaModern: (await ad.schema()).modern,
        nonSyncOuExists: nonSyncOu === undefined ? null : await ad.exists(nonSyncOu),
      };
    });
    const group = onPrem.group;
    if (group !== null && ctx.migration.group.objectGuid === null) {
      await state.updateMigration(id, { objectGuid: group.objectGuid }, ctx.fence);
    }

    const links = await captureOnce<LinksCapture>(state, id, SNAPSHOT_KINDS.links, async () => {
      if (group === null) return { recipients: [], missing: [], membersApart: true };
      // The group's other links and Send-As trustees: its members follow in pages of their own.
      const dns = [...new Set(linkTargets(group).flatMap((t) => (t.list === 'members' ? [] : [t.dn])))];
      // Each recipient kept as the few fields a step reads as its entry arrives: a big group's whole directory
      // records are never held at once (issue 17).
      const result = await ad.resolveRecipientsAs(dns, linkedRecipient);
      return { recipients: [...result.recipients.values()], missing: result.missing, membersApart: true };
    });
    // A page of members at a time: its directory records, then how Exchange Online knows each (engine/member-pages.ts).
    // A capture an earlier version began keeps its members with the other links (no membersApart). The other links
    // are looked up with the first page: one bulk look-up for a small group, as before the pages.
    const skip = ctx.options.skipNestedGroupCheck;
    let withFirstPage: CloudLookupCapture | undefined;
    if (group !== null && links.membersApart === true)
      await captureMemberPages(state, id, memberDns(group), async (dns, index) => {
        const read = await ad.resolveRecipientsAs(dns, linkedRecipient);
        const recipients = [...read.recipients.values()];
        const resolved = resolveMembers(group, dns, recipients, skip);
        if (index > 0)
          return { recipients, missing: read.missing, lookup: await lookUpInCloud(exchange, resolved) };
        // The page's look-up then names the other links too, and theirs the page's members: each is read by identity.
        withFirstPage = await lookUpInCloud(exchange, [...resolved, ...resolveLinks(group, links, skip)]);
        return { recipients, missing: read.missing, lookup: withFirstPage };
      });

    // Back links no DC or global catalog resolves (a domain without a reachable DC, a lingering object) are kept
    // beside the dependants, so validate reports them instead of the migration silently leaving them behind.
    let found: DependantsResult | undefined;
    const read = async () =>
      (found ??= group === null ? { dependants: [], unresolved: [] } : await ad.findDependants(group.dn));
    const dependants = await captureOnce(
      state,
      id,
      SNAPSHOT_KINDS.dependants,
      async () => (await read()).dependants,
    );
    await captureOnce(state, id, UNRESOLVED_DEPENDANTS, async () => (await read()).unresolved);

    const cloudId = cloudObjectId(group?.externalDirectoryObjectId) ?? null;
    const cloud = await captureOnce<CloudCapture>(state, id, SNAPSHOT_KINDS.cloud, async () => {
      const { identity, recipient } = await findSyncedCopy(exchange, cloudId ?? address, cloudId, group);
      const synced = recipient === null ? null : await exchange.getDistributionGroup(identity);
      // Its members kept apart, before this part says the synced group was read (SYNCED_MEMBERS). Read by the
      // immutable id, so a rename in between cannot point elsewhere.
      if (synced !== null)
        await storeOnce(state, id, SYNCED_MEMBERS, () =>
          exchange.getDistributionGroupMemberRecords(cloudIdentity(synced)),
        );
      return {
        recipient,
        group: synced,
        graphGroup: cloudId === null ? null : await graph.getGroup(cloudId),
      };
    });

    // Other holders of any address the new DL will take (recreate only: a conversion keeps the addresses where they
    // are), read now so validate blocks before anything changes instead of take-over failing after the deletion.
    if (ctx.options.strategy === 'recreate' && group !== null)
      await captureOnce<AddressHolder[]>(state, id, ADDRESS_HOLDERS, () =>
        readAddressHolders(
          exchange,
          carriedAddresses({
            mail: group.mail ?? address,
            onPremProxies: group.proxyAddresses.map((p) => p.raw),
            onPremLegacyExchangeDn: group.legacyExchangeDN,
            cloudAddresses: cloud.group?.emailAddresses ?? [],
            cloudLegacyExchangeDn: cloud.group?.legacyExchangeDN,
          }),
          cloud.group,
        ),
      );

    const cloudDependants = await captureOnce(state, id, SNAPSHOT_KINDS.cloudDependants, async () => {
      const synced = cloud.group;
      if (synced === null) return { dependants: [], sendAsAsTrustee: [], sendAsOnGroup: [] };
      const cloudGroupId = cloudIdentity(synced);
      return {
        dependants: await exchange.findCloudDependants(
          synced.distinguishedName,
          ctx.deps.levelReads === undefined
            ? undefined
            : {
                index: await ctx.deps.levelReads.cloudDependants(),
                name: synced.name,
                // Staging DLs of this batch created after the index was read may name the group too.
                alsoGroupsLike: `${TEMPORARY_GROUP_PREFIX}*`,
              },
        ),
        // Only security principals hold rights, and Exchange refuses anything else as -Trustee
        // (Get-RecipientPermission.md); DLConversionV2 asks only for security groups (DLConversionV2.psm1:4355-4374).
        sendAsAsTrustee: synced.isSecurityGroup ? await exchange.getSendAsHeldBy(cloudGroupId) : [],
        sendAsOnGroup: await exchange.getRecipientPermissions({ identity: cloudGroupId }),
      };
    });

    const cloudLookup = await captureOnce(state, id, SNAPSHOT_KINDS.cloudLookup, async () =>
      group === null
        ? { found: {}, missing: [] }
        : (withFirstPage ??
          lookUpInCloud(exchange, [
            // A capture an earlier version began looks its members up with the other links.
            ...(links.membersApart === true
              ? []
              : resolveMembers(group, memberDns(group), links.recipients, skip)),
            ...resolveLinks(group, links, skip),
          ])),
    );

    const tenant = await captureOnce(state, id, SNAPSHOT_KINDS.tenant, () =>
      ctx.deps.levelReads === undefined ? readTenant(exchange) : ctx.deps.levelReads.tenant(),
    );

    // Mailbox rights the group holds, from the permission collection (Exchange cannot be asked "held by" for them).
    const synced = cloud.group;
    let permissions: PermissionsCapture | undefined;
    if (synced !== null) {
      const info = await state.permissionCollectionInfo();
      if (info.mailboxes > 0)
        permissions = await captureOnce<PermissionsCapture>(state, id, PERMISSIONS_KIND, async () => {
          const names = [
            synced.name,
            synced.primarySmtpAddress,
            synced.externalDirectoryObjectId,
            synced.guid,
            String(synced.settings['sid'] ?? ''),
            // The directory's rights name their trustee by the on-premises SID (permissions/collect.ts).
            onPrem.group?.objectSid ?? '',
          ];
          const held = await state.findPermissionsHeldBy(names);
          return {
            collectedAt: info.oldestScan,
            held,
            onPremOnly: await onPremOnlyMailboxes(exchange, held, onPrem.group?.objectSid ?? ''),
          };
        });
    }
    // What was just stored is the snapshot validate loads next: handed over instead of read and parsed again (a
    // second copy of a big group's links and members at once, issue 17). Permissions a resumed run did not capture
    // again are read as loadSnapshot would read them.
    permissions ??= ((await state.getBackup(id, PERMISSIONS_KIND))?.data ?? undefined) as
      PermissionsCapture | undefined;
    rememberCapture(state, id, {
      onPrem,
      links,
      dependants,
      cloud,
      cloudDependants,
      cloudLookup,
      tenant,
      ...(permissions === undefined ? {} : { permissions }),
    });

    // What names the synced group beyond its own attributes: only a recreate replaces it (references/capture.ts).
    if (ctx.options.strategy === 'recreate' && cloud.recipient !== null && cloud.group !== null)
      await captureReferences({
        state,
        exchange,
        graph,
        clock: ctx.clock,
        migrationId: id,
        recipient: cloud.recipient,
        isSecurityGroup: cloud.group.isSecurityGroup,
      });

    return { groupDn: group?.dn ?? null, objectGuid: group?.objectGuid ?? null, cloudId };
  },
};

/**
 * How Exchange Online knows the recipients and users these links name: recipients through Get-Recipient, plain users
 * (owners without a mailbox) through Get-User — both in bulk. The answers carry just what maps them back
 * (RESOLVE_PROPERTIES), and each is kept as its id and rendering as its page arrives, not as a whole record.
 */
async function lookUpInCloud(
  exchange: ExchangeOnline,
  resolved: readonly ResolvedLink[],
): Promise<CloudLookupCapture> {
  const users = new Set(
    resolved.flatMap((r) => (r.resolution.kind === 'user' ? [r.resolution.identity] : [])),
  );
  const identities = cloudIdentities(resolved);
  const recipients = await resolveRecipientsAs(
    exchange,
    identities.filter((i) => !users.has(i)),
    { fallbackToIdentity: true, select: RESOLVE_PROPERTIES },
    (r) => ({ id: cloudIdentity(r), name: r.name, address: r.primarySmtpAddress }),
  );
  const plainUsers = await resolveUsers(exchange, [...users]);
  const found: Record<string, string> = {};
  const rendered: Record<string, CloudRendering> = {};
  for (const [identity, { id, name, address }] of recipients.found) {
    found[identity] = id;
    rendered[identity] = { name, address };
  }
  for (const [identity, u] of plainUsers.found) {
    found[identity] = cloudIdentity(u);
    rendered[identity] = { name: u.name, address: u.userPrincipalName };
  }
  return {
    found,
    rendered,
    missing: [recipients, plainUsers].flatMap((r) => [...r.missing, ...r.ambiguous]),
  };
}

/**
 * The mailboxes of FullAccess and Send-As rights the directory says the group holds (trustee: its on-premises SID)
 * that have no mailbox in Exchange Online (on-premises mailboxes): the new cloud group cannot be granted a right there.
 */
async function onPremOnlyMailboxes(
  exchange: ExchangeOnline,
  held: readonly PermissionRecord[],
  onPremSid: string,
): Promise<string[]> {
  if (onPremSid === '') return [];
  const mailboxes = new Set(
    held
      .filter((p) => p.kind === 'FullAccess' || p.kind === 'SendAs')
      .filter((p) => p.trusteeSid.toLowerCase() === onPremSid.toLowerCase())
      .map((p) => p.mailbox.toLowerCase()),
  );
  const out: string[] = [];
  for (const mailbox of mailboxes) if ((await exchange.getMailbox(mailbox)) === null) out.push(mailbox);
  return out;
}

/**
 * The synced copy of the group in Exchange Online: by its cloud id, else by the address the migration was asked for.
 * That address may be `mail` while the synced copy holds only the on-prem proxyAddresses (mail not among them, issue
 * 14): then by any other address of the group — the X500 of its legacyExchangeDN first (the sync stamps it on exactly
 * this object's copy), then its SMTP proxies — taking the first directory-synced recipient found. One call in the
 * usual case, one more per address tried otherwise.
 */
async function findSyncedCopy(
  exchange: ExchangeOnline,
  first: string,
  cloudId: string | null,
  group: AdGroup | null,
): Promise<{ identity: string; recipient: RecipientRecord | null }> {
  const recipient = await exchange.getRecipient(first);
  if (recipient !== null || cloudId !== null || group === null) return { identity: first, recipient };
  const others = [
    ...(group.legacyExchangeDN ? [`X500:${group.legacyExchangeDN}`] : []),
    ...group.proxyAddresses
      .filter((p) => ['', 'smtp'].includes(p.prefix.toLowerCase()))
      .sort((a, b) => Number(b.primary) - Number(a.primary))
      .map((p) => p.address)
      .filter((a) => a.toLowerCase() !== first.toLowerCase()),
  ];
  for (const identity of others) {
    const found = await exchange.getRecipient(identity);
    if (found?.isDirSynced) return { identity, recipient: found };
  }
  return { identity: first, recipient: null };
}

/** The tenant facts validation needs (a batch reads them once per level: EngineDeps.levelReads). */
export async function readTenant(exchange: ExchangeOnline): Promise<TenantCapture> {
  const domains = await exchange.getAcceptedDomains();
  return {
    acceptedDomains: domains.map((d) => d.domainName.toLowerCase()),
    centralizedTransport: await exchange.usesCentralizedMailTransport(),
    detectedRoutingDomain: routingDomainOf(domains),
    groupManagerBypass: await exchange.canBypassSecurityGroupManagerCheck(),
  };
}
