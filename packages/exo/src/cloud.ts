// One table of Microsoft cloud endpoints. Resources (token audiences) are always the real
// identifiers; only the endpoints we connect to can be overridden (the lab's `custom` cloud).

export type CloudName = 'commercial' | 'gcc-high' | 'dod' | 'china' | 'custom';

export interface CloudEndpoints {
  readonly name: CloudName;
  /** Host of the Entra login authority, e.g. login.microsoftonline.com. */
  readonly authorityHost: string;
  /** Where Exchange Online's admin API is reached (scheme + host [+ port]). */
  readonly exchangeEndpoint: string;
  /** The token audience for Exchange Online (`<resource>/.default` is requested). */
  readonly exchangeResource: string;
  /** Where Microsoft Graph is reached (scheme + host [+ port]). */
  readonly graphEndpoint: string;
  /** The token audience for Microsoft Graph. */
  readonly graphResource: string;
  /**
   * Only for a non-Microsoft authority (the lab): the token endpoint MSAL must post to, with
   * `{tenant}` standing for the tenant id. MSAL gets it through `authorityMetadata`, because it
   * insists on an https authority and would otherwise try instance discovery on the internet.
   */
  readonly tokenEndpoint?: string;
  /** Extra CA certificate (PEM) trusted for every connection of this cloud (lab servers). */
  readonly caPem?: string;
}

const COMMERCIAL_EXCHANGE = 'https://outlook.office365.com';
const COMMERCIAL_GRAPH = 'https://graph.microsoft.com';

export const CLOUDS: Readonly<Record<Exclude<CloudName, 'custom'>, CloudEndpoints>> = {
  // GCC (moderate) uses the commercial endpoints.
  commercial: {
    name: 'commercial',
    authorityHost: 'login.microsoftonline.com',
    exchangeEndpoint: COMMERCIAL_EXCHANGE,
    exchangeResource: COMMERCIAL_EXCHANGE,
    graphEndpoint: COMMERCIAL_GRAPH,
    graphResource: COMMERCIAL_GRAPH,
  },
  'gcc-high': {
    name: 'gcc-high',
    authorityHost: 'login.microsoftonline.us',
    exchangeEndpoint: 'https://outlook.office365.us',
    exchangeResource: 'https://outlook.office365.us',
    graphEndpoint: 'https://graph.microsoft.us',
    graphResource: 'https://graph.microsoft.us',
  },
  dod: {
    name: 'dod',
    authorityHost: 'login.microsoftonline.us',
    exchangeEndpoint: 'https://outlook-dod.office365.us',
    exchangeResource: 'https://outlook-dod.office365.us',
    graphEndpoint: 'https://dod-graph.microsoft.us',
    graphResource: 'https://dod-graph.microsoft.us',
  },
  china: {
    name: 'china',
    authorityHost: 'login.chinacloudapi.cn',
    exchangeEndpoint: 'https://partner.outlook.cn',
    exchangeResource: 'https://partner.outlook.cn',
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
    graphResource: 'https://microsoftgraph.chinacloudapi.cn',
  },
};

export interface CustomCloudOptions {
  /** Base URL of the server answering token, Exchange and Graph requests (e.g. the cloud simulator). */
  readonly url: string;
  /** Fake authority host; it is never resolved, MSAL only needs an https URL. Default login.sim.test. */
  readonly authorityHost?: string;
  /** Token endpoint; default `<url>/{tenant}/oauth2/v2.0/token`. */
  readonly tokenEndpoint?: string;
  readonly caPem?: string;
}

/** The lab cloud: Microsoft's resource identifiers, every endpoint on one local server. */
export function customCloud(options: CustomCloudOptions): CloudEndpoints {
  const base = trimSlash(options.url);
  return {
    name: 'custom',
    authorityHost: options.authorityHost ?? 'login.sim.test',
    exchangeEndpoint: base,
    exchangeResource: COMMERCIAL_EXCHANGE,
    graphEndpoint: base,
    graphResource: COMMERCIAL_GRAPH,
    tokenEndpoint: options.tokenEndpoint ?? `${base}/{tenant}/oauth2/v2.0/token`,
    ...(options.caPem !== undefined ? { caPem: options.caPem } : {}),
  };
}

/** A cloud name that is not in CLOUDS (the CLI's configuration schema allows only known names). */
class UnknownCloudError extends Error {
  override readonly name = 'UnknownCloudError';
  readonly code = 'CLOUD_UNKNOWN';
}

export function cloudByName(name: string): CloudEndpoints {
  if (Object.hasOwn(CLOUDS, name)) return CLOUDS[name as keyof typeof CLOUDS];
  throw new UnknownCloudError(
    `Unknown cloud "${name}". Use one of: ${Object.keys(CLOUDS).join(', ')} (or a custom endpoint for the lab).`,
  );
}

export function authorityUrl(cloud: CloudEndpoints, tenantId: string): string {
  return `https://${cloud.authorityHost}/${tenantId}`;
}

/** OpenID metadata handed to MSAL for a custom authority, so it never does discovery on the network. */
export function authorityMetadata(cloud: CloudEndpoints, tenantId: string): string | undefined {
  if (cloud.tokenEndpoint === undefined) return undefined;
  const authority = authorityUrl(cloud, tenantId);
  return JSON.stringify({
    token_endpoint: cloud.tokenEndpoint.replaceAll('{tenant}', encodeURIComponent(tenantId)),
    issuer: `${authority}/v2.0`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
  });
}

export function scopeFor(resource: string): string {
  return `${trimSlash(resource)}/.default`;
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
