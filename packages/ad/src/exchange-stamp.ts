// What Exchange itself stamps on the recipients dlmigrate creates over LDAP without an on-prem Exchange server (the
// routing contact: New-MailContact + Update-Recipient with the email address policy off, as DLConversionV2's
// Enable-MailRoutingContact.ps1 runs them; the hybrid dynamic DL: New-DynamicDistributionGroup as its
// Enable-MailDynamicGroup.ps1 runs it). The full list, with where each value comes from, is in this package's README
// ("Objects created"), and packages/ad/test/exchange-stamp.test.ts pins it against the lab.
import { randomUUID } from 'node:crypto';

// msExchVersion is the ExchangeVersion Get-Recipient shows, packed in 64 bits (object minor version × 4 at bit 40, build
// major × 4 at bit 32, build number at bit 10): 4535486012416 = 0x420_0008_5C00 is "0.1 (8.0.535.0)" (Exchange 2007),
// 44220983382016 = 0x2838_0001_9000 "0.10 (14.0.100.0)" (Exchange 2010), 88218628259840 = 0x503C_0000_0000
// "0.20 (15.0.0.0)" (mailboxes of Exchange 2013 and later).

/**
 * msExchVersion of a mail contact or mail user: 0.10 (14.0.100.0). Microsoft's "Prepare mailboxes for cross-forest
 * move requests" (its Exchange 2013 version) has administrators stamp this value on the mail user they create with
 * their own tools; a mail contact is the same kind of recipient without an account.
 */
export const MAIL_CONTACT_EXCHANGE_VERSION = '44220983382016';

/**
 * msExchVersion of a dynamic distribution group: 0.10 (14.0.100.0), the version Exchange 2013 and later still stamp on
 * groups (a public LDIF of an Exchange 2016 organisation shows it on a group Exchange created; 0.20 is for mailboxes).
 * The lower version is also the safe one: an Exchange 2010 server left in the organisation can still manage the object,
 * while a 0.20 object would be read-only to it. That Exchange writes exactly this on a dynamic DL is observed for groups
 * only — a real Exchange server is needed to confirm it.
 */
export const DYNAMIC_DL_EXCHANGE_VERSION = '44220983382016';

/**
 * msExchModerationFlags for "SendModerationNotifications Always", the default of New-DynamicDistributionGroup
 * (New-DynamicDistributionGroup.md, SendModerationNotifications: Always = Internal (2) | External (4)).
 */
export const MODERATION_NOTIFICATIONS_ALWAYS = 6;

/** Where an Exchange 2013+ legacyExchangeDN puts recipients: `/o=<org>/ou=<administrative group>/cn=Recipients`. */
export function recipientsContainerOf(legacyExchangeDn: string | undefined): string | undefined {
  if (legacyExchangeDn === undefined) return undefined;
  const at = legacyExchangeDn.toLowerCase().lastIndexOf('/cn=');
  const container = at > 0 ? legacyExchangeDn.slice(0, at) : '';
  return /^\/o=[^/]+\/ou=[^/]+\/cn=recipients$/i.test(container) ? container : undefined;
}

/**
 * A new recipient's legacyExchangeDN in the form Exchange 2013 and later give every recipient they create:
 * `<container>/cn=<32 hex digits>-<alias>` — unique by the random part, like theirs (the cloud simulator and the
 * lab's fixture use the same form: packages/lab/src/recipients.ts legacyExchangeDn).
 */
export function newLegacyExchangeDn(container: string, alias: string, unique: string = randomUUID()): string {
  const hex = unique.replace(/-/g, '').toLowerCase();
  return `${container}/cn=${hex}-${alias}`;
}
