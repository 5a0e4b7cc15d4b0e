// The Graph SDK's last middleware, replaced by one that sends through our HttpClient: the SDK's
// own handler uses global fetch, which can't trust a per-client CA (the lab's) without disabling
// verification for the whole process.
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { HttpClient, HttpMethod } from '../http/client.js';

const GRAPH_TIMEOUT_MS = 120_000;

export class HttpsHandler implements Middleware {
  requests = 0;

  constructor(private readonly http: HttpClient) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const method = (context.options?.method ?? 'GET').toUpperCase() as HttpMethod;
    const body = context.options?.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw new Error('Only JSON/text bodies are supported by the Graph transport');
    }
    this.requests++;
    const res = await this.http.request({
      method,
      url,
      headers: headerRecord(context.options?.headers),
      ...(typeof body === 'string' ? { body } : {}),
      timeoutMs: GRAPH_TIMEOUT_MS,
    });
    const noBody = res.status === 204 || res.status === 205 || res.status === 304 || res.body === '';
    context.response = new Response(noBody ? null : res.body, {
      status: res.status,
      headers: Object.entries(res.headers),
    });
  }
}

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) {
    headers.forEach((v, k) => (out[k] = v));
  } else if (Array.isArray(headers)) {
    for (const [k, v] of headers as Array<[string, string]>) out[k] = v;
  } else {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>))
      if (v !== undefined) out[k] = String(v);
  }
  return out;
}
