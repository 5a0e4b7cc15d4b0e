// Proxy addresses ("SMTP:primary", "smtp:secondary", "X500:/o=…") and the address set the new cloud DL takes over
// from the group it replaces (research §2 phase 15).
import { splitAddress } from './names.js';

export interface ProxyAddress {
  /** Upper-case type: SMTP, X500, X400, SIP, … */
  readonly type: string;
  readonly address: string;
  readonly primary: boolean;
}

export function parseProxyAddress(value: string): ProxyAddress {
  const colon = value.indexOf(':');
  if (colon <= 0) return { type: 'SMTP', address: value, primary: false };
  const prefix = value.slice(0, colon);
  const type = prefix.toUpperCase();
  // Only an upper-case prefix marks the primary address of its type (Exchange's convention).
  return { type, address: value.slice(colon + 1), primary: prefix === type && type === 'SMTP' };
}

export function formatProxyAddress(proxy: ProxyAddress): string {
  const prefix = proxy.primary ? proxy.type : proxy.type === 'SMTP' ? 'smtp' : proxy.type;
  return `${prefix}:${proxy.address}`;
}

/** Identity of an address regardless of primary/secondary and case (Exchange compares them case-insensitively). */
export function proxyKey(value: string | ProxyAddress): string {
  const proxy = typeof value === 'string' ? parseProxyAddress(value) : value;
  return `${proxy.type}:${proxy.address.toLowerCase()}`;
}

export function smtpAddresses(proxies: readonly string[]): string[] {
  return proxies.map(parseProxyAddress).filter((p) => p.type === 'SMTP').map((p) => p.address);
}

export function domainOf(address: string): string {
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
  /** The on-prem `mail`: becomes the primary SMTP address. */
  readonly mail: string;
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
  const byKey = new Map<string, ProxyAddress>();
  const add = (proxy: ProxyAddress) => {
    const key = proxyKey(proxy);
    if (!byKey.has(key)) byKey.set(key, { ...proxy, primary: false });
  };
  const primaryKey = proxyKey({ type: 'SMTP', address: input.mail, primary: true });
  byKey.set(primaryKey, { type: 'SMTP', address: input.mail, primary: true });
  for (const value of [...input.onPremProxies, ...input.cloudAddresses]) add(parseProxyAddress(value));
  for (const dn of [input.onPremLegacyExchangeDn, input.cloudLegacyExchangeDn]) {
    if (dn !== undefined && dn !== '') add({ type: 'X500', address: dn, primary: false });
  }
  const hasRouting = [...byKey.values()].some(
    (p) => p.type === 'SMTP' && isAtDomain(p.address, input.routingDomain),
  );
  if (!hasRouting) add({ type: 'SMTP', address: input.routingAddress, primary: false });
  return [...byKey.values()].map(formatProxyAddress);
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
  if (routingDomain.trim() === '') throw new Error('the routing domain is empty'); // research #125
  const local = alias.replace(/\s+/g, '');
  yield `${local}@${routingDomain}`;
  for (let n = 2; ; n++) yield `${local}${n}@${routingDomain}`;
}

/** Addresses of `wanted` that `actual` does not hold (case-insensitive), to verify convergence. */
export function missingAddresses(wanted: readonly string[], actual: readonly string[]): string[] {
  const have = new Set(actual.map((a) => proxyKey(a)));
  return wanted.filter((w) => !have.has(proxyKey(w)));
}
