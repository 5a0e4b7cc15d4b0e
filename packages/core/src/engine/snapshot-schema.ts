// The snapshot as it comes back from the state store, parsed part by part (engine/snapshot.ts loads it). The shape
// of each capture is checked here — which fields are lists, objects, flags, or may be null — and the directory and
// Exchange records inside (AdGroup, RecipientRecord, …) are checked to be objects: their own fields are what ad and exo
// wrote. Objects are loose: a field this version does not list is kept, never dropped.
import { BACK_LINKS, type AdDependant, type AdGroup } from '@dlmigrate/ad';
import type {
  CloudDependant,
  DistributionGroupRecord,
  GraphGroup,
  MemberRecord,
  RecipientPermissionRecord,
  RecipientRecord,
} from '@dlmigrate/exo';
import { z } from 'zod';
import type { LinkedRecipient } from './snapshot.js';

function record<T>() {
  return z.custom<T>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'expected an object',
  );
}

export const snapshotSchema = z.object({
  onPrem: z.looseObject({
    matches: z.array(z.looseObject({ dn: z.string(), objectClass: z.string(), isGroup: z.boolean() })),
    group: record<AdGroup>().nullable(),
    schemaModern: z.boolean(),
    nonSyncOuExists: z.boolean().nullable(),
  }),
  links: z.looseObject({
    recipients: z.array(record<LinkedRecipient>()),
    missing: z.array(z.string()),
    membersApart: z.boolean().optional(),
  }),
  dependants: z.array(record<AdDependant>()),
  cloud: z.looseObject({
    recipient: record<RecipientRecord>().nullable(),
    group: record<DistributionGroupRecord>().nullable(),
    /** Only in captures taken before the synced members were kept apart (SYNCED_MEMBERS). */
    members: z.array(record<MemberRecord>()).optional(),
    graphGroup: record<GraphGroup>().nullable(),
  }),
  cloudDependants: z.looseObject({
    dependants: z.array(record<CloudDependant>()),
    sendAsAsTrustee: z.array(record<RecipientPermissionRecord>()),
    sendAsOnGroup: z.array(record<RecipientPermissionRecord>()),
  }),
  cloudLookup: z.looseObject({
    found: z.record(z.string(), z.string()),
    missing: z.array(z.string()),
    rendered: z.record(z.string(), z.looseObject({ name: z.string(), address: z.string() })).optional(),
  }),
  tenant: z.looseObject({
    acceptedDomains: z.array(z.string()),
    centralizedTransport: z.boolean(),
    detectedRoutingDomain: z.string().nullable(),
    groupManagerBypass: z.boolean().optional(),
  }),
  /** Absent when no permission collection existed at capture (PERMISSIONS_KIND). */
  permissions: z
    .looseObject({
      collectedAt: z.string().nullable(),
      held: z.array(
        z.looseObject({
          mailbox: z.string(),
          kind: z.enum(['FullAccess', 'SendAs', 'SendOnBehalf', 'Folder']),
          folder: z.string(),
          trustee: z.string(),
          trusteeSid: z.string(),
          accessRights: z.array(z.string()),
          collectedAt: z.string(),
        }),
      ),
      onPremOnly: z.array(z.string()).optional(),
    })
    .optional(),
});

/** The synced group's members (SYNCED_MEMBERS): the fields parity and verify compare by. */
export const syncedMembersSchema = z.array(
  z.looseObject({
    guid: z.string(),
    externalDirectoryObjectId: z.string(),
    name: z.string(),
    primarySmtpAddress: z.string(),
    recipientTypeDetails: z.string(),
  }),
);

/** Back links no domain controller resolved (kept beside the snapshot, see UNRESOLVED_DEPENDANTS). */
export const unresolvedDependantsSchema = z.array(
  z.looseObject({ dn: z.string(), backLink: z.enum(BACK_LINKS) }),
);
