// Every way Exchange configuration can name a group: its SMTP addresses (rules), its DN or canonical name (filters),
// its LegacyExchangeDN and X500 proxies (booking policies), its name (resource delegates), its ids. Read from the
// group's Exchange record, for the synced group before the migration and for the new group after it.
import { cloudIdentity } from '@dlmigrate/exo';
import type { RecipientRecord } from '@dlmigrate/exo';

export interface GroupIdentity {
  readonly name: string;
  readonly primarySmtpAddress: string;
  /** Every SMTP address (primary first), lower-case. */
  readonly smtpAddresses: readonly string[];
  readonly distinguishedName: string;
  /** `<OrganizationalUnit>/<Name>`: the canonical name MemberOfGroup also accepts. */
  readonly canonicalName: string | null;
  /** Its own LegacyExchangeDN first, then every X500 proxy: the values a LegacyExchangeDN reference may hold. */
  readonly legacyExchangeDns: readonly string[];
  /** Entra object id, else Exchange Guid: how cmdlets are pointed at the group. */
  readonly identity: string;
  readonly objectId: string;
}

export function groupIdentityOf(record: RecipientRecord): GroupIdentity {
  const smtp = record.emailAddresses.filter((a) => /^smtp:/i.test(a)).map((a) => a.slice(5).toLowerCase());
  const primary = record.primarySmtpAddress.toLowerCase();
  const ou = record.settings['organizationalUnit'];
  return {
    name: record.name,
    primarySmtpAddress: record.primarySmtpAddress,
    smtpAddresses: [...new Set([primary, ...smtp].filter((a) => a !== ''))],
    distinguishedName: record.distinguishedName,
    canonicalName: typeof ou === 'string' && ou !== '' ? `${ou}/${record.name}` : null,
    legacyExchangeDns: [
      ...new Set(
        [
          record.legacyExchangeDN,
          ...record.emailAddresses.filter((a) => /^x500:/i.test(a)).map((a) => a.slice(5)),
        ].filter((v) => v !== ''),
      ),
    ],
    identity: cloudIdentity(record),
    objectId: record.externalDirectoryObjectId,
  };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Whether a stored value names the group, by the kind of value the container keeps. `asItself` counts only the
 * group's own LegacyExchangeDN, not the X500 proxies it carries: whether Exchange resolves a stored LegacyExchangeDN
 * through X500 proxies is not documented, so a container counts as naming the new group only by its own.
 */
export function names(identity: GroupIdentity, storedAs: StoredAs, value: string, asItself = false): boolean {
  switch (storedAs) {
    case 'address':
      return identity.smtpAddresses.some((a) => same(a, value.replace(/^smtp:/i, '')));
    case 'distinguished-name':
      return (
        same(identity.distinguishedName, value) ||
        (identity.canonicalName !== null && same(identity.canonicalName, value))
      );
    case 'legacy-dn':
      return (asItself ? identity.legacyExchangeDns.slice(0, 1) : identity.legacyExchangeDns).some((l) =>
        same(l, value),
      );
    case 'name':
      return same(identity.name, value);
  }
}

/** How a configuration object keeps a recipient it names (what Get-* shows). */
export type StoredAs = 'address' | 'distinguished-name' | 'legacy-dn' | 'name';
