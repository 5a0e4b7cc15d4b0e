// A small pool of bound LDAP clients for one server (a DC or a GC): bounded concurrency, clients reused
// while still connected and bound, one reconnect after a dropped connection. Opening and binding a
// client is the connection's job (connection.ts); this file only hands clients out and takes them back.
import type { Client } from 'ldapts';
import pLimit, { type LimitFunction } from 'p-limit';
import { isConnectionFailure, translateError } from './errors.js';

export interface ServerPoolOptions {
  /** Operations run at once on this server. */
  maxConcurrency: number;
  /** Creates, connects and binds a new client for this server. */
  openClient: () => Promise<Client>;
  /** Called before the one retry after a dropped connection (the connection counts reconnects). */
  onReconnect: () => void;
}

interface PooledClient {
  client: Client;
}

export class ServerPool {
  private idle: PooledClient[] = [];
  private closed = false;
  private readonly limit: LimitFunction;

  constructor(
    readonly url: string,
    private readonly options: ServerPoolOptions,
  ) {
    this.limit = pLimit(options.maxConcurrency);
  }

  /** Run `op` on a bound client; after a dropped connection, reconnect and try exactly once more. */
  run<T>(what: string, dn: string | undefined, op: (client: Client) => Promise<T>): Promise<T> {
    return this.limit(async () => {
      for (let attempt = 0; ; attempt++) {
        let pooled: PooledClient;
        try {
          pooled = await this.acquire();
        } catch (error) {
          throw translateError(error, `connect to ${this.url}`, this.url);
        }
        try {
          const result = await op(pooled.client);
          await this.release(pooled);
          return result;
        } catch (error) {
          if (isConnectionFailure(error) || !pooled.client.isConnected) {
            await this.discard(pooled);
            if (attempt === 0 && !this.closed) {
              this.options.onReconnect();
              continue;
            }
          } else {
            await this.release(pooled);
          }
          throw translateError(error, what, this.url, dn);
        }
      }
    });
  }

  /** Back to the pool, unless close() ran meanwhile (then the socket would keep the process alive). */
  private async release(pooled: PooledClient): Promise<void> {
    if (this.closed) await this.discard(pooled);
    else this.idle.push(pooled);
  }

  private async acquire(): Promise<PooledClient> {
    this.closed = false; // using the connection again after close() reopens it lazily
    while (this.idle.length > 0) {
      const pooled = this.idle.pop() as PooledClient;
      // ldapts silently reconnects *unbound* after a server-side close; never reuse such a client.
      if (pooled.client.isConnected && pooled.client.isBound) return pooled;
      await this.discard(pooled);
    }
    return { client: await this.options.openClient() };
  }

  private async discard(pooled: PooledClient): Promise<void> {
    try {
      await pooled.client.unbind();
    } catch {
      // The socket is already gone; nothing to release.
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = this.idle;
    this.idle = [];
    await Promise.all(all.map((p) => this.discard(p)));
  }
}
