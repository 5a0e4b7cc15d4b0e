// The one HTTP layer every cloud call goes through (Exchange, Graph, and MSAL's token requests).
// Native fetch cannot take a CA per request, so we use node:http(s) with our own Agent: an extra
// CA (the lab's) is trusted *in addition to* the system roots, and certificate verification stays
// on unless a caller explicitly opts out — never process-wide.
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Abort the request (and reject with HttpTimeoutError) after this many milliseconds. */
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface HttpClientOptions {
  /** Extra CA certificate(s) in PEM, trusted together with Node's built-in roots. */
  readonly caPem?: string | readonly string[];
  /**
   * Turn TLS verification off. Only for throw-away experiments; a warning is emitted on creation.
   * @defaultValue false
   */
  readonly insecureSkipTlsVerify?: boolean;
  readonly maxSockets?: number;
  readonly onWarning?: (message: string) => void;
}

/** The request never got an answer (connection refused, reset, DNS, TLS failure). */
export class HttpNetworkError extends Error {
  override readonly name = 'HttpNetworkError';
  readonly code = 'HTTP_NETWORK_FAILED';
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(
      `Network error calling ${safeUrl(url)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}

export class HttpTimeoutError extends Error {
  override readonly name = 'HttpTimeoutError';
  readonly code = 'HTTP_TIMEOUT';
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`No answer from ${safeUrl(url)} within ${timeoutMs} ms`);
  }
}

/** A URL that is neither https: nor http: (a configured endpoint, or a next-page link the service returned). */
export class HttpUnsupportedSchemeError extends Error {
  override readonly name = 'HttpUnsupportedSchemeError';
  readonly code = 'HTTP_UNSUPPORTED_SCHEME';
  constructor(readonly url: string) {
    super(`Unsupported URL scheme in ${safeUrl(url)}`);
  }
}

export class HttpClient {
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent: http.Agent;

  constructor(options: HttpClientOptions = {}) {
    const extra =
      options.caPem === undefined
        ? []
        : typeof options.caPem === 'string'
          ? [options.caPem]
          : [...options.caPem];
    const insecure = options.insecureSkipTlsVerify === true;
    if (insecure) {
      (options.onWarning ?? ((m: string) => process.emitWarning(m)))(
        'TLS certificate verification is DISABLED for cloud connections (insecureSkipTlsVerify). Never use this against a real tenant.',
      );
    }
    const maxSockets = options.maxSockets ?? 64;
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      maxSockets,
      // The trust store is built once, as a secure context. Passing `ca` instead would replace the
      // default roots (so ~140 system roots had to be passed along) and Node would concatenate every
      // one of them into the connection-pool key on each request and parse them again for each new
      // connection: 6.6 % of the client's CPU in a batch profile.
      ...(extra.length > 0
        ? { secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, ...extra] }) }
        : {}),
      rejectUnauthorized: !insecure,
    });
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    return this.send(req, true);
  }

  private send(req: HttpRequest, mayResend: boolean): Promise<HttpResponse> {
    const url = new URL(req.url);
    const isHttps = url.protocol === 'https:';
    if (!isHttps && url.protocol !== 'http:') {
      return Promise.reject(new HttpUnsupportedSchemeError(req.url));
    }
    const send = isHttps ? https.request : http.request;
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    return new Promise<HttpResponse>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (fn: () => void) => {
        if (timer) clearTimeout(timer);
        fn();
      };
      const r = send(
        url,
        { method: req.method, headers, agent: isHttps ? this.httpsAgent : this.httpAgent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => finish(() => reject(new HttpNetworkError(req.url, e))));
          res.on('end', () =>
            finish(() =>
              resolve({
                status: res.statusCode ?? 0,
                headers: flattenHeaders(res.headers),
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            ),
          );
        },
      );
      if (req.timeoutMs !== undefined && req.timeoutMs > 0) {
        const ms = req.timeoutMs;
        timer = setTimeout(() => {
          r.destroy(new HttpTimeoutError(req.url, ms));
        }, ms);
      }
      r.on('error', (e) => {
        // A keep-alive socket the server closed while it sat idle fails at once with ECONNRESET/EPIPE,
        // before the server read anything: sending once more on a fresh socket is what Node's docs
        // prescribe (request.reusedSocket), and it cannot run the request twice.
        const code = (e as NodeJS.ErrnoException).code;
        if (mayResend && r.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) {
          finish(() => resolve(this.send(req, false)));
          return;
        }
        finish(() => reject(e instanceof HttpTimeoutError ? e : new HttpNetworkError(req.url, e)));
      });
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }

  /** Close idle keep-alive sockets (lets a test process exit promptly). */
  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** A URL without its query string (which may carry ids we'd rather not spread in logs). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}
