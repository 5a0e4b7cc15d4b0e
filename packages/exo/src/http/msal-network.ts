// MSAL's INetworkModule over our HttpClient, so token requests trust the same CA as everything
// else (MSAL's default client is native fetch, which can't).
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { HttpClient, HttpMethod } from './client.js';

const TOKEN_TIMEOUT_MS = 30_000;

export class MsalNetworkModule implements INetworkModule {
  /** Requests actually sent to the token endpoint (MSAL cache hits never get here). */
  tokenRequests = 0;

  constructor(private readonly http: HttpClient) {}

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    this.tokenRequests++;
    return this.send<T>('POST', url, options, undefined);
  }

  private async send<T>(
    method: HttpMethod,
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout: number | undefined,
  ): Promise<NetworkResponse<T>> {
    const res = await this.http.request({
      method,
      url,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      timeoutMs: timeout ?? TOKEN_TIMEOUT_MS,
    });
    let body: unknown;
    try {
      body = res.body.length > 0 ? JSON.parse(res.body) : {};
    } catch {
      // A proxy or gateway answered with HTML/text; give MSAL an OAuth-shaped error it can surface.
      body = {
        error: 'invalid_response',
        error_description: `Token endpoint answered HTTP ${res.status} with a non-JSON body`,
      };
    }
    return { status: res.status, headers: { ...res.headers }, body: body as T };
  }
}
