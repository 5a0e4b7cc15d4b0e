// On-premises mailbox rights as the directory holds them (issue 14, `dlmigrate collect permissions`):
// - FullAccess in msExchMailboxSecurityDescriptor, a self-relative security descriptor whose ACE masks are Exchange's
//   mailbox rights, not directory rights: FullAccess is 0x1 (the bit a directory ACE calls ADS_RIGHT_DS_CREATE_CHILD,
//   "CC" in SDDL — the default mailbox descriptor "O:PSG:PSD:(A;CI;CCRC;;;PS)" gives SELF FullAccess + ReadPermission);
// - Send-As as the extended right ab721a54-1e2f-11d0-9819-00aa0040529b in the object's own nTSecurityDescriptor,
//   read with the SD flags control asking for the DACL only (sd-flags.ts).
// Only explicit allow ACEs count as a right the mailbox grants: an inherited ACE comes from a container (a grant on
// an OU, not this mailbox's), a deny ACE grants nothing, and well-known SIDs (SELF, SYSTEM, …) are no trustee a
// migrated group could be. What is left are domain SIDs (S-1-5-21-…), compared with a group's objectSid.
import type { AdConnection } from './connection.js';
import { and, eq, or, present } from './filter.js';
import { SdFlagsControl } from './sd-flags.js';
import {
  ACCESS_MASK,
  ACE_TYPE,
  parseSecurityDescriptor,
  SEND_AS_RIGHT,
  type SecurityDescriptor,
} from './security-descriptor.js';

/** Exchange's MailboxRights.FullAccess in msExchMailboxSecurityDescriptor. */
const MAILBOX_FULL_ACCESS = 0x1;
/** AceFlags: the ACE was inherited from a parent object. */
const INHERITED_ACE = 0x10;
/** AceFlags: the ACE applies to children only, not to the object itself. */
const INHERIT_ONLY_ACE = 0x08;

const isDomainSid = (sid: string) => sid.startsWith('S-1-5-21-');
const ownAce = (flags: number) => (flags & (INHERITED_ACE | INHERIT_ONLY_ACE)) === 0;

type Ace = NonNullable<SecurityDescriptor['dacl']>[number];

/** The domain SIDs (sorted, once each) of the explicit ACEs of `sd`'s DACL that `grants` accepts. */
function explicitGrantees(sd: SecurityDescriptor, grants: (ace: Ace) => boolean): string[] {
  const sids = new Set<string>();
  for (const ace of sd.dacl ?? [])
    if (ownAce(ace.flags) && isDomainSid(ace.sid) && grants(ace)) sids.add(ace.sid);
  return [...sids].sort();
}

/** Domain SIDs an explicit allow ACE of a mailbox security descriptor grants FullAccess. */
export function fullAccessSids(sd: SecurityDescriptor): string[] {
  return explicitGrantees(
    sd,
    (ace) => ace.type === ACE_TYPE.ACCESS_ALLOWED && (ace.mask & MAILBOX_FULL_ACCESS) !== 0,
  );
}

/** Domain SIDs an explicit allow object ACE of an object's nTSecurityDescriptor grants Send-As. */
export function explicitSendAsSids(sd: SecurityDescriptor): string[] {
  return explicitGrantees(
    sd,
    (ace) =>
      ace.type === ACE_TYPE.ACCESS_ALLOWED_OBJECT &&
      (ace.mask & ACCESS_MASK.CONTROL_ACCESS) !== 0 &&
      ace.objectType?.toLowerCase() === SEND_AS_RIGHT,
  );
}

/** The rights one on-premises recipient grants, by trustee SID. */
export interface OnPremMailboxRights {
  readonly dn: string;
  readonly mail: string;
  readonly fullAccess: readonly string[];
  readonly sendAs: readonly string[];
}

const MAILBOX_SD = 'msExchMailboxSecurityDescriptor';

/** A mail-enabled user (mailbox, remote mailbox, mail user), the recipients a mailbox right can be granted on. */
const MAIL_USER = and(eq('objectCategory', 'person'), eq('objectClass', 'user'), present('mail'));

/** The mail address of every mail-enabled user of the domain (one paged search). */
export async function listMailUsers(conn: AdConnection): Promise<string[]> {
  const base = await conn.defaultNamingContext();
  const entries = await conn.search(base, { filter: MAIL_USER, attributes: ['mail'] });
  return entries.map((e) => e.string('mail') ?? '').filter((m) => m !== '');
}

/**
 * The FullAccess and Send-As rights the mail-enabled user at `address` (its mail or an SMTP proxy address) grants;
 * null when no such user exists. One search; the mailbox descriptor is absent on a user that never had a mailbox.
 */
export async function readOnPremMailboxRights(
  conn: AdConnection,
  address: string,
): Promise<OnPremMailboxRights | null> {
  const base = await conn.defaultNamingContext();
  const [entry] = await conn.search(base, {
    filter: and(MAIL_USER, or(eq('mail', address), eq('proxyAddresses', `smtp:${address}`))),
    attributes: ['mail', 'nTSecurityDescriptor', MAILBOX_SD],
    binary: [MAILBOX_SD],
    controls: [new SdFlagsControl()],
  });
  if (entry === undefined) return null;
  const mailboxSd = entry.buffer(MAILBOX_SD);
  const objectSd = entry.buffer('nTSecurityDescriptor');
  return {
    dn: entry.dn,
    mail: entry.string('mail') ?? address,
    fullAccess: mailboxSd ? fullAccessSids(parseSecurityDescriptor(mailboxSd)) : [],
    sendAs: objectSd ? explicitSendAsSids(parseSecurityDescriptor(objectSd)) : [],
  };
}
