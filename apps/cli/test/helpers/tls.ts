// Certificates made with openssl for the tests (independent of the code under test).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** A self-signed app certificate that expires in `days` days (for the expiry warning). */
export function shortLivedAppCertificate(dir: string, days: number): { cert: string; key: string } {
  const cert = join(dir, `short-${days}.pem`);
  const key = join(dir, `short-${days}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      String(days),
      '-subj',
      '/CN=short',
    ],
    {
      stdio: 'pipe',
    },
  );
  return { cert, key };
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
