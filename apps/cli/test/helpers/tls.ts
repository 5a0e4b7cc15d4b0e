// A throwaway CA and a server certificate for 127.0.0.1, made with openssl, and a TLS server that
// stands in for a domain controller's LDAPS port in the TLS verification checks.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';

export interface TestPki {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export function createTestPki(dir: string, options: { days?: number } = {}): TestPki {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '30', '-subj', '/CN=dlmigrate test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('dc.key'), '-out', file('dc.csr'), '-subj', '/CN=dc1.test');
  writeFileSync(file('dc.ext'), 'subjectAltName=IP:127.0.0.1,DNS:dc1.test\n');
  openssl('x509', '-req', '-in', file('dc.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('dc.pem'), '-days', String(options.days ?? 30), '-extfile', file('dc.ext'));
  return { caFile: file('ca.pem'), certFile: file('dc.pem'), keyFile: file('dc.key') };
}

export async function startTlsServer(pki: TestPki): Promise<{ port: number; server: Server }> {
  const server = createServer({ cert: readFileSync(pki.certFile), key: readFileSync(pki.keyFile) }, (socket) => socket.end());
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

/** A self-signed app certificate that expires in `days` days (for the expiry warning). */
export function shortLivedAppCertificate(dir: string, days: number): { cert: string; key: string } {
  const cert = join(dir, `short-${days}.pem`);
  const key = join(dir, `short-${days}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', '/CN=short'], { stdio: 'pipe' });
  return { cert, key };
}
