// The address set the new cloud DL takes over from the group it replaces (docs/reference-behaviour.md#identity-take-over). Addresses are proxy
// strings ("SMTP:primary", "smtp:secondary", "X500:/o=…"), parsed by @dlmigrate/ad; Exchange compares them
// case-insensitively, so identity here is "TYPE:address" in lower case.
import { CoreError } from '../errors/core-error.js';
import { parseProxyAddress } from '@dlmigrate/ad';

/** Identity of an address regardless of primary/secondary and case. A bare address counts as SMTP. */
export function proxyKey(value: string): string {
  const proxy = parseProxyAddress(value);
  return `${(proxy.prefix || 'smtp').toLowerCase()}:${proxy.address.toLowerCase()}`;
}

function isSmtp(value: string): boolean {
  const prefix = parseProxyAddress(value).prefix;
  return prefix === '' || prefix.toLowerCase() === 'smtp';
}

/** "SMTP:x" → "smtp:x"; other types keep their prefix (their case carries no meaning for the new DL). */
function asSecondary(value: string): string {
  const proxy = parseProxyAddress(value);
  return isSmtp(value) ? `smtp:${proxy.address}` : proxy.raw;
}

function splitAddress(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1)
    throw new CoreError('CORE_INVALID_ARGUMENT', `"${address}" is not an e-mail address`);
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

function smtpAddresses(proxies: readonly string[]): string[] {
  return proxies.filter(isSmtp).map((p) => parseProxyAddress(p).address);
}

function domainOf(address: string): string {
  return splitAddress(address).domain.toLowerCase();
}

/** The domains a group's addresses use (every smtp proxy plus mail), each once, lower-case. */
export function addressDomains(mail: string | undefined, proxies: readonly string[]): string[] {
  const all = [...smtpAddresses(proxies), ...(mail === undefined ? [] : [mail])];
  return [...new Set(all.map(domainOf))];
}

export function isAtDomain(address: string, domain: string): boolean {
  return domainOf(address) === domain.toLowerCase();
}

export interface TakeOverInput {
  /** The on-prem `mail`: the primary SMTP address unless `primary` names another (then a secondary one). */
  readonly mail: string;
  /** The primary SMTP address when it is not `mail` (chosenPrimary). */
  readonly primary?: string | undefined;
  readonly onPremProxies: readonly string[];
  readonly onPremLegacyExchangeDn?: string | undefined;
  /** EmailAddresses of the synced cloud group being replaced (absent for a non-synced group). */
  readonly cloudAddresses: readonly string[];
  readonly cloudLegacyExchangeDn?: string | undefined;
  readonly routingDomain: string;
  /** The routing address to add when no address is at the routing domain yet (chosen by routingAddressCandidates). */
  readonly routingAddress: string;
}

/**
 * The complete EmailAddresses value for the new DL: on-prem proxies ∪ cloud addresses, the X500 of both
 * legacyExchangeDNs (so replies to old mail and cached recipients keep resolving), a routing address at the routing
 * domain, and exactly one primary SMTP address, the on-prem mail.
 */
export function takeOverAddresses(input: TakeOverInput): string[] {
  const carried = carriedAddresses(input);
  if (routingAddressIn(carried, input.routingDomain) !== undefined) return carried;
  const routing = `smtp:${input.routingAddress}`;
  return carried.some((a) => proxyKey(a) === proxyKey(routing)) ? carried : [...carried, routing];
}

/**
 * Every address the new DL carries over from the group, before a routing address is added: the primary (the on-prem
 * mail unless chosenPrimary says otherwise), on-prem proxies ∪ cloud addresses, the X500 of both legacyExchangeDNs. Validation checks each of them
 * for other holders in the tenant before anything changes (engine/address-holders.ts).
 */
export function carriedAddresses(input: Omit<TakeOverInput, 'routingDomain' | 'routingAddress'>): string[] {
  const byKey = new Map<string, string>();
  const add = (value: string) => {
    const key = proxyKey(value);
    if (!byKey.has(key)) byKey.set(key, asSecondary(value));
  };
  const primary = input.primary ?? input.mail;
  byKey.set(proxyKey(primary), `SMTP:${primary}`);
  add(`smtp:${input.mail}`);
  for (const value of [...input.onPremProxies, ...input.cloudAddresses]) add(value);
  for (const dn of [input.onPremLegacyExchangeDn, input.cloudLegacyExchangeDn]) {
    if (dn !== undefined && dn !== '') add(`X500:${dn}`);
  }
  return [...byKey.values()];
}

/**
 * The primary SMTP address the new DL takes (issue 14). Normally the on-prem `mail`. But Exchange Online's addresses of
 * a synced group come from proxyAddresses (cloud-sim's fidelity ledger, "Directory sync": EmailAddresses =
 * proxyAddresses, or SMTP:mail without any), so when `mail` is not among them the synced copy never held it and its
 * primary — what senders, replies and the address book use today — is the on-prem `SMTP:` proxy. That one is kept
 * (`cloudPrimary`, as Exchange Online shows it, else the on-prem SMTP: proxy) and `mail` is carried as a secondary
 * address; validation reports the choice (PRIMARY_ADDRESS_KEPT). Without proxies, or with `mail` among them: `mail`.
 */
export function chosenPrimary(
  mail: string,
  onPremProxies: readonly string[],
  cloudPrimary: string | undefined,
): string {
  const smtp = onPremProxies.filter(isSmtp);
  if (smtp.length === 0 || smtp.some((p) => proxyKey(p) === proxyKey(mail))) return mail;
  const proxyPrimary = smtp.find((p) => parseProxyAddress(p).prefix === 'SMTP');
  return cloudPrimary || (proxyPrimary === undefined ? mail : parseProxyAddress(proxyPrimary).address);
}

/** The routing address already among the addresses, if any. */
export function routingAddressIn(addresses: readonly string[], routingDomain: string): string | undefined {
  return smtpAddresses(addresses).find((a) => isAtDomain(a, routingDomain));
}

/**
 * Routing addresses to try, in order: `<alias>@<routing domain>`, then `<alias>2@…`, `<alias>3@…`. Deterministic
 * (unlike DLConversionV2's random digits), so a resumed run proposes the same address it already stamped.
 */
export function* routingAddressCandidates(alias: string, routingDomain: string): Generator<string> {
  if (routingDomain.trim() === '')
    throw new CoreError('CORE_INVALID_ARGUMENT', 'the routing domain is empty'); // research #125
  const local = alias.replace(/\s+/g, '');
  yield `${local}@${routingDomain}`;
  for (let n = 2; ; n++) yield `${local}${n}@${routingDomain}`;
}

/** Addresses of `wanted` that `actual` does not hold (case-insensitive), to verify convergence. */
export function missingAddresses(wanted: readonly string[], actual: readonly string[]): string[] {
  const have = new Set(actual.map((a) => proxyKey(a)));
  return wanted.filter((w) => !have.has(proxyKey(w)));
}
