// Group addresses from the command line. Checked before anything connects, so a typo or an attempt to
// smuggle LDAP filter syntax in (parentheses, NUL, spaces) stops here with exit code 2; characters an
// address may legally hold (`*` and `=` are valid in a local part) are escaped by @dlmigrate/ad in every filter.
import { UsageError } from '../errors.js';

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]$/;

export function addressProblem(value: string): string | undefined {
  const at = value.lastIndexOf('@');
  if (value.length > 254) return 'is longer than 254 characters';
  if (at <= 0 || at === value.length - 1) return 'is not an SMTP address like sales@contoso.com';
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local))
    return 'has characters an SMTP address cannot hold before the @';
  if (!DOMAIN.test(domain)) return `has an invalid domain "${domain}"`;
  return undefined;
}

/** Validates every address and reports all bad ones at once. */
export function parseGroupAddresses(values: readonly string[]): string[] {
  const problems: string[] = [];
  const addresses = values.map((raw) => {
    const value = raw.trim();
    const problem = addressProblem(value);
    if (problem !== undefined) problems.push(`${JSON.stringify(raw)} ${problem}`);
    return value;
  });
  if (problems.length > 0) throw new UsageError('Invalid group address; nothing was changed.', problems);
  return addresses;
}
