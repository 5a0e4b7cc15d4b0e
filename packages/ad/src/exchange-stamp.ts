// What Exchange itself stamps on the recipients dlmigrate creates over LDAP without an on-prem Exchange server (the
// routing contact: New-MailContact + Update-Recipient with the email address policy off, as DLConversionV2's
// Enable-MailRoutingContact.ps1 runs them; the hybrid dynamic DL: New-DynamicDistributionGroup as its
// Enable-MailDynamicGroup.ps1 runs it). The full list, with where each value comes from, is in this package's README
// ("Objects created"), and packages/ad/test/exchange-stamp.test.ts pins it against the lab.
import { randomUUID } from 'node:crypto';

/**
 * msExchVersion of a mail contact or mail user (ExchangeVersion 0.1 (8.0.535.0)): the value Microsoft's "Prepare
 * mailboxes for cross-forest move requests" (Exchange 2013) has administrators stamp on the mail user they create
 * with their own tools.
 */
export const MAIL_CONTACT_EXCHANGE_VERSION = '44220983382016';

/**
 * msExchVersion of a dynamic distribution group created by Exchange 2010 or later (ExchangeVersion
 * 0.10 (14.0.100.0)); the version Exchange 2013–2019 keep for groups (public captures of LDAP dumps; assumed).
 */
export const DYNAMIC_DL_EXCHANGE_VERSION = '88218628259840';

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
