// The stable codes every finding carries. The `*_EXCEPTION` names are DLConversionV2's (docs/reference-behaviour.md#error-codes), kept so
// that administrators who know the old tool recognise them; the others are ours and follow the same style.
//
// Severity decides what a finding does to a run:
//   blocking      – nothing may change while it stands (the gate in validate stops the migration);
//   needs-action  – the migration went through but an administrator has to finish something by hand;
//   info          – worth knowing, nothing to do.
import type { Severity } from '@dlmigrate/state';

interface CatalogueEntry {
  readonly severity: Severity;
  /** What the administrator should do about it, in one or two sentences. */
  readonly action: string;
}

const catalogue = {
  // --- validation blockers (docs/reference-behaviour.md#validation-blockers) ---
  GROUP_NOT_FOUND: {
    severity: 'blocking',
    action: 'Check the address: no directory object has it in its mail attribute.',
  },
  DUPLICATE_MAIL: {
    severity: 'blocking',
    action:
      'Several directory objects share this mail address; correct the duplicates so exactly one remains.',
  },
  NOT_A_GROUP: {
    severity: 'blocking',
    action: 'The object found by this address is not a group; only groups can be migrated.',
  },
  PROTECTED_FROM_DELETION: {
    severity: 'blocking',
    action:
      'Clear "Protect object from accidental deletion" on the group; it cannot be moved while protected.',
  },
  GROUP_NOT_SYNCED: {
    severity: 'blocking',
    action:
      'The group is not directory-synced to Exchange Online; allow non-synced groups explicitly if that is intended.',
  },
  NON_SYNCED_GROUP_INCOMPLETE: {
    severity: 'blocking',
    action: 'A non-synced group needs mail, legacyExchangeDN, proxyAddresses and mailNickname on-premises.',
  },
  CLOUD_GROUP_NOT_FOUND: {
    severity: 'blocking',
    action:
      'The synced group was not found in Exchange Online; wait for the sync or check the group is in sync scope.',
  },
  CLOUD_GROUP_WRONG_TYPE: {
    severity: 'blocking',
    action:
      'In Exchange Online this address belongs to something other than a synced distribution or mail-enabled security group.',
  },
  ALREADY_MIGRATED: {
    severity: 'blocking',
    action: 'The group carries the marker of an earlier migration; there is nothing left to migrate.',
  },
  UNKNOWN_ACCEPTED_DOMAIN: {
    severity: 'blocking',
    action: 'Add the domain as an accepted domain in Exchange Online, or remove the address from the group.',
  },
  CENTRALIZED_MAIL_TRANSPORT: {
    severity: 'blocking',
    action:
      'An outbound connector routes all mail via on-premises; confirm with the centralized-transport override.',
  },
  GROUP_MANAGER_BYPASS_DENIED: {
    severity: 'blocking',
    action:
      'Give the app\'s service principal the Organization Management role group or a role group holding the "Security Group Creation and Membership" role: Set-DistributionGroup -BypassSecurityGroupManagerCheck needs one of them (dlmigrate doctor checks it).',
  },
  NO_ROUTING_DOMAIN: {
    severity: 'blocking',
    action: 'No *.mail.onmicrosoft.com accepted domain was found; pass a custom routing domain.',
  },
  NON_SYNC_OU_MISSING: {
    severity: 'blocking',
    action: 'The non-sync OU does not exist; create it (outside the sync scope) or pass an existing one.',
  },
  NON_SYNC_OU_IN_SYNC_SCOPE: {
    severity: 'blocking',
    action:
      'The non-sync OU is inside the sync scope, so parking the group there would not remove it from the cloud.',
  },
  NESTED_GROUP_EXCEPTION: {
    severity: 'blocking',
    action:
      'A mail-enabled group is a member; migrate the child group first, remove it, or use skipNestedGroupCheck.',
  },
  OBJECT_NOT_MAIL_ENABLED_EXCEPTION: {
    severity: 'blocking',
    action:
      'The linked object is not mail-enabled and cannot exist in the cloud group; remove it or mail-enable it.',
  },
  OFFICE_365_DEPENDENCY_NOT_FOUND_EXCEPTION: {
    severity: 'blocking',
    action: 'The linked object does not exist in Exchange Online; sync it or remove it from the group.',
  },
  NAME_LENGTH_EXCEPTION: {
    severity: 'blocking',
    action: 'Prefix + name + suffix exceed 64 characters; shorten the prefix/suffix or the group name.',
  },
  GROUP_NO_LONGER_SECURITY_EXCEPTION: {
    severity: 'blocking',
    action:
      'A group in managedBy is no longer a security group; make it a security group or remove it from managedBy.',
  },
  GROUP_OVERRIDE_MANAGER_NOT_ALLOWED: {
    severity: 'blocking',
    action:
      'The group manages itself, so it must stay a security group; drop the Distribution type override.',
  },
  OFFICE_365_MEMBER_NOT_FOUND_EXCEPTION: {
    severity: 'blocking',
    action:
      'The cloud copy lacks this on-prem value and conversion would freeze it that way; run a sync or fix it first.',
  },
  CONVERSION_NOT_CONFIRMED: {
    severity: 'blocking',
    action:
      'Exchange Online did not show the group as cloud-managed before the deadline; check the tenant, then resume.',
  },
  INVALID_OPTIONS: {
    severity: 'blocking',
    action: 'Correct the migration options as described.',
  },
  // --- batches (issue 8) ---
  CIRCULAR_REFERENCE_EXCEPTION: {
    severity: 'blocking',
    action:
      'The groups contain each other; break the loop, migrate them, then restore the membership in the cloud.',
  },
  CHILD_GROUP_MIGRATION_EXCEPTION: {
    severity: 'blocking',
    action: 'A child group did not migrate, so its parent cannot; fix the child first.',
  },
  MALFORMED_ADDRESS: {
    severity: 'blocking',
    action: 'Correct the entry: it is not an SMTP address (name@domain).',
  },
  DUPLICATE_IN_INPUT: {
    severity: 'info',
    action: 'The group is listed more than once; it is migrated once.',
  },
  // --- what names the group by id beyond its own attributes (issue 16, references/) ---
  ENTRA_REFERENCE_BLOCKS_RECREATE: {
    severity: 'blocking',
    action:
      'Entra holds this by the group\'s object id, which a recreate replaces: migrate with strategy "convert" (keeps the object id), or set entraReferences to needs-action and run the command given after the migration.',
  },
  ENTRA_REFERENCE_NOT_CARRIED: {
    severity: 'needs-action',
    action:
      'Entra held this by the old object id and a recreate does not carry it: run the command given after the migration (strategy "convert" would have kept it).',
  },
  // info, not needs-action: without the optional "Address Lists" role every group of every batch would carry it, and
  // doctor already says which role or permission is missing (apps/cli/src/commands/doctor/cloud-checks.ts).
  CONFIG_NOT_CHECKED: {
    severity: 'info',
    action:
      'This part of the Exchange configuration could not be read (a missing role or permission): check it by hand with the command given, or grant the access and plan again.',
  },
  CONFIG_REWIRE_FAILED: {
    severity: 'needs-action',
    action: 'Exchange configuration still names the old group: run the command given.',
  },
  ADMIN_SD_HOLDER_PROTECTED: {
    severity: 'needs-action',
    action:
      "The group has adminCount=1: it is, or once was, a member of a protected group (Domain Admins, Account Operators, …), so SDProp replaces its permissions with AdminSDHolder's every hour and its members may hold administrative rights through it. Check its membership in protected groups before the migration disposes of it; on the retained group clear adminCount once it is no longer protected.",
  },
  SEND_AS_TRUSTEE_ORPHANED: {
    severity: 'info',
    action:
      "A Send-As entry in the group's security descriptor names a SID no directory object carries (a deleted account): it is not carried to the cloud group. Remove the entry, or grant Send-As in Exchange Online to whoever should have it.",
  },
  ONPREM_DEPENDANT_UNRESOLVED: {
    severity: 'needs-action',
    action:
      'A back link of the group names an object no domain controller or global catalog resolves (a domain without a reachable DC, or a lingering object): the migration cannot rewire it; check that object by hand, or configure a DC of its domain and plan again.',
  },
  ADDRESS_HELD_ELSEWHERE: {
    severity: 'blocking',
    action:
      'Another Exchange Online recipient holds this address of the group (a soft-deleted one keeps its addresses until it is purged), so the new group could not take it once the synced group is deleted: remove the address from that recipient (recover or purge a soft-deleted one), or remove it from the group on-premises, then migrate again.',
  },
  PRIMARY_ADDRESS_KEPT: {
    severity: 'info',
    action:
      "The on-premises mail attribute is not among the group's proxyAddresses, so Exchange Online never showed it: the new group keeps the primary address Exchange Online shows today and carries mail as a secondary address. Set PrimarySmtpAddress on the new group if mail should be the primary.",
  },
  // --- during and after the run ---
  ADDRESS_HELD_BY_OTHER_OBJECT: {
    severity: 'blocking',
    action: 'Another Exchange Online object holds this address; remove it there, then resume the migration.',
  },
  ADDRESS_STILL_QUARANTINED: {
    severity: 'blocking',
    action:
      "Exchange Online kept the deleted group's addresses taken longer than the take-over waits; resume or retry the migration later.",
  },
  CLOUD_DELETION_TIMEOUT: {
    severity: 'blocking',
    action:
      'The synced cloud group was not deleted before the deadline; check the sync, then resume or retry.',
  },
  TAKE_OVER_NOT_CONVERGED: {
    severity: 'blocking',
    action:
      'Exchange Online did not show the taken-over addresses before the deadline; resume to check again.',
  },
  STEP_FAILED: {
    severity: 'blocking',
    action: 'A step failed; the detail says which call. Fix the cause, then resume.',
  },
  UNDO_FAILED: {
    severity: 'blocking',
    action: 'Part of the rollback failed; resume the migration to retry it, or undo that part by hand.',
  },
  CLOUD_GROUP_NEEDS_OWNER: {
    severity: 'blocking',
    action:
      'Exchange Online refused to create the cloud group without an owner, and the on-prem group has none: set migration.fallbackOwner to a mailbox or mail user that may own groups, then migrate again.',
  },
  FALLBACK_OWNER_ADDED: {
    severity: 'needs-action',
    action:
      'Exchange Online needs an owner for the cloud group and the on-prem group had none: the configured fallback owner owns it now; change the owner if someone else should.',
  },
  POST_CREATE_SETTING_FAILED: {
    severity: 'needs-action',
    action: 'A setting could not be applied to the cloud group; set it by hand.',
  },
  ONPREM_REWIRE_FAILED: {
    severity: 'needs-action',
    action: 'An on-premises object still refers to the old group; point it at the routing contact by hand.',
  },
  MEMBERS_OF_RESTRICTION_CHANGED: {
    severity: 'needs-action',
    action:
      "This object restricted mail by the members of the migrated group (accept, reject or bypass moderation). Its synced copy in Exchange Online cannot name a cloud-managed group, so it now names the routing contact as a single sender and the group's members no longer count: migrate this object too (its cloud group then names the new group again), or set the restriction by hand.",
  },
  ONPREM_MAILBOX_RIGHT_NOT_CARRIED: {
    severity: 'needs-action',
    action:
      "The group holds this right (FullAccess or Send-As, from the directory's security descriptors) on a mailbox that is on-premises, with no mailbox in Exchange Online: a cloud group cannot be granted rights there. A retained on-premises group keeps the right for its members as they were, no longer kept up to date; a deleted one leaves it to an orphaned SID. Grant the right to the people who need it by hand, or move the mailbox to Exchange Online and grant it to the new group.",
  },
  CLOUD_REWIRE_FAILED: {
    severity: 'needs-action',
    action: 'A cloud object or permission could not be moved to the new group; apply it by hand.',
  },
  MOVE_BACK_FAILED: {
    severity: 'needs-action',
    action: 'The retained group could not be moved back to its original OU; move it by hand.',
  },
  CONVERT_RECOMMENDED: {
    severity: 'info',
    action:
      'This group can be converted in place (strategy "convert"): the synced cloud group becomes cloud-managed and its addresses never leave, so mail has no outage at all.',
  },
  RETENTION_FORCED: {
    severity: 'info',
    action:
      'The on-premises group is retained (renamed, mail-disabled) instead of deleted, because it still grants permissions.',
  },
  GROUP_TYPE_FORCED_SECURITY: {
    severity: 'info',
    action: 'The cloud group is created as a security group because it holds permissions in the cloud.',
  },
  NESTED_GROUP_KEPT: {
    severity: 'info',
    action:
      'A synced child group stays a member (skipNestedGroupCheck); migrate it later to remove the hybrid dependency.',
  },
  PERMISSION_HOLDER_NOT_SECURITY: {
    severity: 'blocking',
    action:
      'The group holds mailbox rights in Exchange Online, which need a security group: allow the type change (permissionHolder make-security) or remove the rights first.',
  },
  PERMISSIONS_COLLECTION_STALE: {
    severity: 'needs-action',
    action:
      "The permission collection is older than permissionsMaxAgeHours: rights granted since are not carried over. Run `dlmigrate collect permissions` before migrating, or check the group's mailbox rights by hand.",
  },
  SUPERSEDED_AT_UPGRADE: {
    severity: 'needs-action',
    action:
      'The state store held this migration and a newer one of the same group when it was upgraded to one open migration per group (packages/state/src/one-open-per-group.ts): the newer one kept the group and this one was marked failed. Check what it left (its temporary cloud DL, the group parked in the non-sync OU) and remove or move it back by hand.',
  },
  VERIFY_DIFFERENCE: {
    severity: 'needs-action',
    action:
      'After the migration the named object does not hold a value it held before (see the attribute and message); set it by hand, then run `dlmigrate verify` again.',
  },
  FINAL_SYNC_OFF: {
    severity: 'info',
    action:
      'No directory sync ran after the on-premises objects were pointed at the routing contact (finalSync is off), so verify did not re-read their synced copies in Exchange Online; they follow with the next scheduled sync cycle. Run `dlmigrate verify` after it to check them.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type FindingCode = keyof typeof catalogue;

export function severityOf(code: FindingCode): Severity {
  return catalogue[code].severity;
}

export function actionFor(code: FindingCode): string {
  return catalogue[code].action;
}

export function isFindingCode(value: string): value is FindingCode {
  return Object.hasOwn(catalogue, value);
}
