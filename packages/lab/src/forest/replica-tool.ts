// Calls samba/replica.py, the lab's helper that works on a DC's database through Samba's own Python bindings
// (crossRefs, partial-replica partitions, GC replication). One JSON request in, one JSON answer out.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REPLICA_TOOL = fileURLToPath(new URL('../../samba/replica.py', import.meta.url));
/** Identifies the helper a forest was built with; a forest built by another one is rebuilt. */
export function replicaToolFingerprint(): string {
  return createHash('sha256').update(readFileSync(REPLICA_TOOL)).digest('hex').slice(0, 16);
}

/** Debian's interpreter: Samba's bindings (python3-samba) are installed for it, not for any other python on PATH. */
const SAMBA_PYTHON = '/usr/bin/python3';

interface CrossRefRequest {
  op: 'crossref';
  /** The DC's folder (`.lab/<name>/dc`). */
  dc: string;
  nc: string;
  dnsRoot: string;
  netbios: string;
}

interface CreateReplicaRequest {
  op: 'create-replica';
  dc: string;
  /** The DC's own domain NC (its @ATTRIBUTES and @INDEXLIST are copied into the new partition). */
  ownNc: string;
  /** The NC to hold a partial replica of. */
  nc: string;
  headGuidHex: string;
  headSidHex: string;
  /** `CN=Domain-DNS,<the DC's own schema NC>`. */
  headCategory: string;
}

export interface SyncRequest {
  op: 'sync';
  /** Replicated in this order, each pair in its own transaction. */
  pairs: {
    /** The DC that holds `nc` (the source of truth). */
    from: string;
    /** The DC that holds a partial replica of it. */
    to: string;
    nc: string;
  }[];
}

interface InjectRequest {
  op: 'inject';
  dc: string;
  objects: {
    dn: string;
    guidHex: string;
    sidHex?: string;
    /** LDAP attributes as strings; DN values name objects this DC holds. */
    attributes: Record<string, string[]>;
  }[];
}

export interface SyncCounts {
  added: number;
  moved: number;
  modified: number;
  linked: number;
  deleted: number;
}

export type ReplicaRequest = CrossRefRequest | CreateReplicaRequest | SyncRequest | InjectRequest;

export function replicaTool(request: SyncRequest): Promise<SyncCounts>;
export function replicaTool(request: ReplicaRequest): Promise<Record<string, unknown>>;
export function replicaTool(request: ReplicaRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // TDB_NO_FSYNC as for the DCs themselves (server.ts): lab data is disposable.
    const child = spawn(SAMBA_PYTHON, [REPLICA_TOOL], {
      env: { ...process.env, TDB_NO_FSYNC: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) =>
      reject(new Error(`lab replica tool (${request.op}) could not start: ${error.message}`)),
    );
    child.on('close', (code) => {
      if (code !== 0) {
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-12).join('\n');
        reject(new Error(`lab replica tool (${request.op}) exited ${String(code)}:\n${tail}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as unknown);
      } catch {
        reject(new Error(`lab replica tool (${request.op}) answered no JSON: ${stdout.slice(0, 200)}`));
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}
