// Graph's view of a recipient: the same object Exchange shows, as a directoryObject.
import type { Recipient } from '../exchange/recipient.js';
import { isGroup } from '../exchange/recipient.js';
import { securityIdentifier } from '../exchange/sid.js';

export function graphGroup(r: Recipient): Record<string, unknown> {
  const unified = r.RecipientTypeDetails === 'GroupMailbox';
  return {
    id: r.ExternalDirectoryObjectId,
    deletedDateTime: null,
    classification: null,
    createdDateTime: r.dir.createdDateTime,
    description: r.dir.description ?? null,
    displayName: r.DisplayName,
    expirationDateTime: null,
    groupTypes: unified ? ['Unified'] : [],
    isAssignableToRole: null,
    mail: r.PrimarySmtpAddress,
    mailEnabled: true,
    mailNickname: r.Alias,
    membershipRule: null,
    onPremisesDomainName: r.dir.onPremisesDistinguishedName
      ? domainOfDn(r.dir.onPremisesDistinguishedName)
      : null,
    onPremisesLastSyncDateTime: r.dir.onPremisesLastSyncDateTime ?? null,
    onPremisesNetBiosName: null,
    onPremisesSamAccountName: r.dir.onPremisesSamAccountName ?? null,
    onPremisesSecurityIdentifier: r.dir.onPremisesSecurityIdentifier ?? null,
    onPremisesSyncEnabled: r.dir.onPremisesSyncEnabled,
    onPremisesProvisioningErrors: [],
    proxyAddresses: [...r.EmailAddresses],
    renewedDateTime: r.dir.createdDateTime,
    securityEnabled: r.dir.securityEnabled,
    securityIdentifier: securityIdentifier(r),
    visibility: unified ? 'Public' : null,
  };
}

function domainOfDn(dn: string): string {
  return dn
    .split(',')
    .filter((p) => /^dc=/i.test(p.trim()))
    .map((p) => p.trim().slice(3))
    .join('.');
}

/** A member as Graph lists it (user, orgContact or group), or undefined if not a directory object. */
export function graphDirectoryObject(r: Recipient): Record<string, unknown> | undefined {
  if (!r.ExternalDirectoryObjectId) return undefined;
  if (isGroup(r)) return { '@odata.type': '#microsoft.graph.group', ...graphGroup(r) };
  if (r.RecipientType === 'MailContact')
    return {
      '@odata.type': '#microsoft.graph.orgContact',
      id: r.ExternalDirectoryObjectId,
      displayName: r.DisplayName,
      mail: r.ExternalEmailAddress?.replace(/^smtp:/i, '') ?? null,
      mailNickname: r.Alias,
      proxyAddresses: [...r.EmailAddresses],
      onPremisesSyncEnabled: r.dir.onPremisesSyncEnabled,
    };
  return {
    '@odata.type': '#microsoft.graph.user',
    id: r.ExternalDirectoryObjectId,
    displayName: r.DisplayName,
    mail: r.PrimarySmtpAddress || null,
    mailNickname: r.Alias,
    userPrincipalName: r.UserPrincipalName,
    proxyAddresses: [...r.EmailAddresses],
    onPremisesSyncEnabled: r.dir.onPremisesSyncEnabled,
  };
}
