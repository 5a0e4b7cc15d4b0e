// A per-instance CA and a server certificate whose SANs cover what clients dial: the instance's
// loopback IP, localhost and the DC's FQDN. Samba's own auto-generated certificate has no SAN at all,
// so standard verification against 127.0.0.N would fail with it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from './run.js';

export interface ServerCertificateOptions {
  dir: string; // writes ca.pem, ca.key, cert.pem, key.pem here
  host: string; // 127.0.0.N
  fqdn: string; // dc1.lab.test
  labName: string;
}

export async function makeCertificates(o: ServerCertificateOptions): Promise<void> {
  await fs.mkdir(o.dir, { recursive: true, mode: 0o700 });
  const step = 'TLS certificate generation';
  const subject = (cn: string) => `/O=dlmigrate lab ${o.labName}/CN=${cn}`;
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      subject(`dlmigrate lab CA (${o.labName})`),
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
    ],
    { step, cwd: o.dir },
  );
  await run(
    'openssl',
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject(o.fqdn),
      '-keyout',
      'key.pem',
      '-out',
      'server.csr',
    ],
    {
      step,
      cwd: o.dir,
    },
  );
  const sans = [`DNS:${o.fqdn}`, 'DNS:localhost', `IP:${o.host}`];
  await fs.writeFile(
    path.join(o.dir, 'server.ext'),
    `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n`,
  );
  await run(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '3650',
      '-extfile',
      'server.ext',
      '-out',
      'cert.pem',
    ],
    { step, cwd: o.dir },
  );
  await Promise.all(
    ['server.csr', 'server.ext', 'ca.srl'].map((f) => fs.rm(path.join(o.dir, f), { force: true })),
  );
  await Promise.all(['key.pem', 'ca.key'].map((f) => fs.chmod(path.join(o.dir, f), 0o600)));
}
