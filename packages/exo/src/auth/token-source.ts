// App-only tokens for one (tenant, app): one ConfidentialClientApplication, whose in-memory cache
// serves every later request until the token nears expiry. Concurrent callers share one request per
// resource (a batch starts hundreds of migrations at once; each would otherwise fetch its own token).
// Answers from the token endpoint are never retried here: after a 429/5xx MSAL itself refuses to call
// again before Retry-After, and a tight loop would only burn the tenant's budget. Only a request that
// never got an answer (MSAL network_error) is tried again, a few times with a growing pause.
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import { authorityMetadata, authorityUrl, scopeFor, type CloudEndpoints } from '../cloud.js';
import type { HttpClient } from '../http/client.js';
import { MsalNetworkModule } from '../http/msal-network.js';
import type { AppCertificate } from './certificate.js';
import { CloudAuthError, expiredMessage, toCloudAuthError } from './auth-error.js';

export interface AppIdentity {
  /** Tenant GUID or *.onmicrosoft.com name. */
  readonly tenantId: string;
  /** Application (client) id. */
  readonly clientId: string;
  readonly certificate: AppCertificate;
  /** Which thumbprint identifies the certificate to Entra. SHA-1 only for legacy setups. @defaultValue 'sha256' */
  readonly thumbprintAlgorithm?: 'sha256' | 'sha1';
}

/** Anything that hands out bearer tokens for a resource (an audience such as https://graph.microsoft.com). */
export interface TokenSource {
  token(resource: string): Promise<string>;
}

export class AppTokenSource implements TokenSource {
  private readonly app: ConfidentialClientApplication;
  private readonly network: MsalNetworkModule;
  private readonly thumbprint: string;
  private readonly pending = new Map<string, Promise<string>>();
  /**
   * The last token per resource, until MSAL would stop serving it from its cache (heldUntil). Asking MSAL for a cached
   * token costs about 33 KB of garbage and 0.07 ms of CPU (msal-node builds a request, a correlation id, telemetry and a
   * cache query each time): at 95,000 membership calls, 3 GB for the collector and the runner's heap sized by it
   * (bench/memory.bench.ts, issue 17).
   */
  private readonly held = new Map<string, { readonly token: string; readonly until: number }>();

  constructor(
    readonly cloud: CloudEndpoints,
    private readonly identity: AppIdentity,
    http: HttpClient,
  ) {
    this.network = new MsalNetworkModule(http);
    const cert = identity.certificate;
    const sha1 = identity.thumbprintAlgorithm === 'sha1';
    this.thumbprint = sha1 ? cert.thumbprintSha1 : cert.thumbprintSha256;
    const metadata = authorityMetadata(cloud, identity.tenantId);
    const config: Configuration = {
      auth: {
        clientId: identity.clientId,
        authority: authorityUrl(cloud, identity.tenantId),
        clientCertificate: {
          ...(sha1 ? { thumbprint: cert.thumbprintSha1 } : { thumbprintSha256: cert.thumbprintSha256 }),
          privateKey: cert.privateKeyPem,
          x5c: cert.chainPem,
        },
        ...(metadata !== undefined
          ? { knownAuthorities: [cloud.authorityHost], authorityMetadata: metadata }
          : {}),
      },
      system: { networkClient: this.network },
    };
    this.app = new ConfidentialClientApplication(config);
  }

  /** How many requests reached the token endpoint (cache hits don't count). */
  get tokenEndpointRequests(): number {
    return this.network.tokenRequests;
  }

  token(resource: string): Promise<string> {
    const held = this.held.get(resource);
    if (held !== undefined && Date.now() < held.until) return Promise.resolve(held.token);
    let shared = this.pending.get(resource);
    if (shared === undefined) {
      shared = this.acquire(resource).finally(() => this.pending.delete(resource));
      this.pending.set(resource, shared);
    }
    return shared;
  }

  private async acquire(resource: string): Promise<string> {
    const cert = this.identity.certificate;
    const context = {
      tenantId: this.identity.tenantId,
      clientId: this.identity.clientId,
      thumbprint: this.thumbprint,
      certificateNotAfter: cert.notAfter,
    };
    // Entra would refuse it too; saying so locally names the actual problem.
    if (cert.notAfter.getTime() < Date.now()) {
      throw new CloudAuthError(expiredMessage(context), 'AUTH_CERTIFICATE_EXPIRED', undefined, undefined);
    }
    let result;
    for (let attempt = 1; ; attempt++) {
      try {
        result = await this.app.acquireTokenByClientCredential({ scopes: [scopeFor(resource)] });
        break;
      } catch (error) {
        if (attempt >= NETWORK_ATTEMPTS || !isNetworkFailure(error)) throw toCloudAuthError(error, context);
        await new Promise((done) => setTimeout(done, 250 * 2 ** (attempt - 1)));
      }
    }
    if (!result?.accessToken) {
      throw new CloudAuthError(
        'The token endpoint returned no access token.',
        'AUTH_FAILED',
        undefined,
        result?.correlationId,
      );
    }
    const until = heldUntil(result.expiresOn, result.refreshOn);
    if (until > Date.now()) this.held.set(resource, { token: result.accessToken, until });
    return result.accessToken;
  }
}

/**
 * msal-node's renewal offset (its default tokenRenewalOffsetSeconds): a cached token that expires within it is not
 * served any more but requested again.
 */
const RENEWAL_OFFSET_MS = 300_000;

/**
 * Until when a token may be used without asking MSAL: as long as MSAL itself would serve it from its cache — before the
 * renewal offset before it expires, and before the refresh time the token endpoint suggested (`refresh_in`, when
 * MSAL renews a token early). Not at all when MSAL gave no expiry.
 */
function heldUntil(expiresOn: Date | null, refreshOn: Date | undefined): number {
  if (expiresOn === null) return 0;
  const renew = expiresOn.getTime() - RENEWAL_OFFSET_MS;
  return refreshOn === undefined ? renew : Math.min(renew, refreshOn.getTime());
}

const NETWORK_ATTEMPTS = 3;

/** MSAL's code for a request that got no answer at all (reset, refused, timed out). */
function isNetworkFailure(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { errorCode?: unknown }).errorCode === 'network_error'
  );
}
