// The checks `dlmigrate doctor` runs. Each returns ok / warn / fail and, when not ok, what to fix.
// They only read and connect; none of them changes anything anywhere.
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { delimiter, extname, isAbsolute, join, sep } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import forge from 'node-forge';
import type { AdConfig, DlmigrateConfig, SyncConfig, TenantConfig } from '../../config/schema.js';
import { windowsCommandProblem } from '@dlmigrate/core';

type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do, when the status is not ok. */
  readonly fix?: string;
}

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

const result = (id: string, title: string, status: CheckStatus, detail: string, fix?: string): CheckResult =>
  fix === undefined ? { id, title, status, detail } : { id, title, status, detail, fix };

export function checkStateFolder(config: DlmigrateConfig): CheckResult {
  const title = 'state folder is writable';
  const folder = config.state.folder;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const probe = join(folder, `.doctor-${process.pid}`);
    writeFileSync(probe, '', { mode: 0o600 });
    rmSync(probe);
    return result('state-folder', title, 'ok', folder);
  } catch (error) {
    return result(
      'state-folder',
      title,
      'fail',
      `${folder}: ${(error as Error).message}`,
      'point state.folder at a folder this user can write',
    );
  }
}

/** Loads the app certificate (PEM pair or PFX) and checks that key and certificate belong together. */
export function checkCertificate(
  tenant: TenantConfig,
  pfxPassphrase: string | undefined,
  now: Date,
): { files: CheckResult; expiry?: CheckResult } {
  const title = 'app certificate and private key load and match';
  const failed = (detail: string, fix: string) => ({
    files: result('certificate', title, 'fail', detail, fix),
  });
  let certPem: string;
  let keyPem: string;
  const cert = tenant.certificate;
  try {
    if (cert.pfxFile !== undefined) {
      if (pfxPassphrase === undefined) {
        return failed(
          `${cert.pfxFile}: no passphrase`,
          'set DLMIGRATE_PFX_PASSPHRASE or run doctor in a terminal',
        );
      }
      ({ certPem, keyPem } = readPfx(readFileSync(cert.pfxFile), pfxPassphrase));
    } else {
      certPem = readFileSync(cert.pemCertFile!, 'utf8');
      keyPem = readFileSync(cert.pemKeyFile!, 'utf8');
    }
  } catch (error) {
    return failed(
      (error as Error).message,
      'check the certificate paths (dlmigrate auth init creates a certificate)',
    );
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certPem);
    if (!x509.checkPrivateKey(createPrivateKey(keyPem))) {
      return failed(
        'the private key does not belong to the certificate',
        'use the key file created together with this certificate',
      );
    }
  } catch (error) {
    return failed(
      `cannot parse: ${(error as Error).message}`,
      'give a PEM certificate and a PEM (PKCS#8 or PKCS#1) private key',
    );
  }
  return {
    files: result('certificate', title, 'ok', x509.subject.replace(/\n/g, ', ')),
    expiry: checkExpiry(x509, now),
  };
}

function checkExpiry(cert: X509Certificate, now: Date): CheckResult {
  const title = 'app certificate is valid';
  const notAfter = new Date(cert.validTo);
  const notBefore = new Date(cert.validFrom);
  const days = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  const renew =
    'create a new certificate (dlmigrate auth init), upload it to the app registration, update the config';
  if (now < notBefore)
    return result(
      'certificate-expiry',
      title,
      'fail',
      `not valid before ${notBefore.toISOString()}`,
      'check the clock, or wait',
    );
  if (days < 0)
    return result('certificate-expiry', title, 'fail', `expired on ${notAfter.toISOString()}`, renew);
  if (days < EXPIRY_WARNING_DAYS) {
    return result(
      'certificate-expiry',
      title,
      'warn',
      `expires in ${days} day(s), on ${notAfter.toISOString()}`,
      renew,
    );
  }
  return result('certificate-expiry', title, 'ok', `until ${notAfter.toISOString()} (${days} days)`);
}

function readPfx(pfx: Buffer, passphrase: string): { certPem: string; keyPem: string } {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(pfx.toString('binary')), passphrase);
  const certBag = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!]?.[0];
  const keyBag = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
    forge.pki.oids.pkcs8ShroudedKeyBag!
  ]?.[0];
  if (certBag?.cert === undefined || keyBag?.key === undefined)
    throw new Error('the PFX does not hold a certificate and its key');
  return { certPem: forge.pki.certificateToPem(certBag.cert), keyPem: forge.pki.privateKeyToPem(keyBag.key) };
}

/**
 * TLS handshake with the directory, always verifying the certificate (against ad.caFile when given),
 * whatever rejectUnauthorized says: doctor's job is to tell whether verification WOULD succeed.
 */
export async function checkDirectoryTls(ad: AdConfig, which: 'url' | 'gcUrl'): Promise<CheckResult> {
  const target = ad[which]!;
  const id = which === 'url' ? 'ad-tls' : 'ad-gc-tls';
  const title = `${which === 'url' ? 'domain controller' : 'global catalog'} TLS certificate verifies (${target})`;
  const url = new URL(target);
  if (url.protocol !== 'ldaps:') {
    return result(
      id,
      title,
      'warn',
      'StartTLS is checked when binding, not by this handshake check',
      'use ldaps:// to have the TLS check run before any bind',
    );
  }
  let ca: string | undefined;
  try {
    ca = ad.caFile === undefined ? undefined : readFileSync(ad.caFile, 'utf8');
  } catch (error) {
    return result(id, title, 'fail', `cannot read ad.caFile: ${(error as Error).message}`, 'fix ad.caFile');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (which === 'url' ? 636 : 3269));
  const outcome = await new Promise<{ ok: true; subject: string } | { ok: false; reason: string }>((done) => {
    const socket = tlsConnect({
      host,
      port,
      ...(ca !== undefined ? { ca } : {}),
      ...(isIp(host) ? {} : { servername: host }),
      rejectUnauthorized: true,
      timeout: ad.timeoutSeconds * 1000,
    });
    socket.once('secureConnect', () => {
      const subject = socket.getPeerCertificate().subject?.CN ?? '';
      socket.end();
      done({ ok: true, subject: String(subject) });
    });
    socket.once('timeout', () => {
      socket.destroy();
      done({ ok: false, reason: `no answer within ${ad.timeoutSeconds} s` });
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, reason: `${error.code ?? ''} ${error.message}`.trim() }),
    );
  });
  if (outcome.ok) return result(id, title, 'ok', `certificate CN=${outcome.subject}`);
  const untrusted = /certificate|self.signed|verify|altname/i.test(outcome.reason);
  if (untrusted && !ad.rejectUnauthorized) {
    return result(
      id,
      title,
      'warn',
      `${outcome.reason} (accepted because ad.rejectUnauthorized is false)`,
      'set ad.caFile to the issuing CA and turn rejectUnauthorized back on',
    );
  }
  return result(
    id,
    title,
    'fail',
    outcome.reason,
    untrusted
      ? 'set ad.caFile to the PEM of the CA that issued the DC certificate, and use the name in the certificate'
      : 'check the host, port and firewall',
  );
}

/**
 * dlmigrate writes its state, logs, reports and certificates owner-only (mode 0600/0700). Windows has no such
 * modes: there the files inherit the folder's ACL, which is the administrator's to restrict.
 */
export function checkFilePermissions(
  config: DlmigrateConfig,
  platform: NodeJS.Platform = process.platform,
): CheckResult {
  const title = 'files dlmigrate writes are owner-only';
  return platform === 'win32'
    ? result(
        'file-permissions',
        title,
        'warn',
        'on Windows, file modes cannot make files owner-only; they inherit the ACL of their folder',
        `keep ${config.state.folder}, the certificate and key files and the reports in a folder only you (and the account running dlmigrate) can read`,
      )
    : result(
        'file-permissions',
        title,
        'ok',
        'state, logs, reports and keys are written with mode 0600 (folders 0700)',
      );
}

export function checkTlsVerificationSetting(ad: AdConfig): CheckResult {
  return ad.rejectUnauthorized
    ? result('ad-tls-verify', 'directory TLS verification is on', 'ok', 'ad.rejectUnauthorized is true')
    : result(
        'ad-tls-verify',
        'directory TLS verification is on',
        'warn',
        'ad.rejectUnauthorized is false: the bind password can be intercepted',
        'set ad.caFile and remove rejectUnauthorized: false',
      );
}

export async function checkSyncTrigger(
  sync: SyncConfig,
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): Promise<CheckResult | undefined> {
  const title = `sync trigger "${sync.kind}" is usable`;
  switch (sync.kind) {
    case 'none':
      return result(
        'sync-trigger',
        title,
        'ok',
        'migrations wait for the scheduled sync cycle (Entra Connect: every 30 minutes by default)',
      );
    case 'command': {
      const found = findExecutable(sync.command!, env['PATH'] ?? '', platform, env['PATHEXT']);
      if (found === undefined)
        return result(
          'sync-trigger',
          title,
          'fail',
          `${sync.command} is not an executable file`,
          'give the full path of the program in sync.command',
        );
      const problem = windowsCommandProblem(sync.command!, platform, found);
      return problem === null
        ? result('sync-trigger', title, 'ok', found)
        : result('sync-trigger', title, 'fail', `${found} cannot be started without a shell`, problem);
    }
    case 'http': {
      const url = new URL(sync.url!);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const reason = await tcpReachable(
        url.hostname.replace(/^\[|\]$/g, ''),
        port,
        sync.timeoutSeconds * 1000,
      );
      return reason === undefined
        ? result('sync-trigger', title, 'ok', `${url.host} accepts connections`)
        : result(
            'sync-trigger',
            title,
            'fail',
            `${url.host}: ${reason}`,
            'check sync.url and that the service is running',
          );
    }
    case 'graph-cloud-sync':
      // Needs a Graph token; checked together with the Graph permissions.
      return undefined;
    case 'ssh':
      // Needs a connection and the key's passphrase: ssh-check.ts.
      return undefined;
  }
}

/**
 * Where the sync command would be found: a path as given, or each PATH folder. On Windows a bare name also tries
 * the PATHEXT extensions (Start-Sync → Start-Sync.cmd) and X_OK only tells that the file exists.
 */
export function findExecutable(
  command: string,
  path: string,
  platform: NodeJS.Platform = process.platform,
  pathExt = process.env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD',
): string | undefined {
  const hasFolder = isAbsolute(command) || command.includes('/') || command.includes(sep);
  const bases = hasFolder
    ? [command]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  const extensions =
    platform === 'win32' && extname(command) === '' ? ['', ...pathExt.split(';').filter(Boolean)] : [''];
  for (const base of bases) {
    for (const extension of extensions) {
      const candidate = base + extension;
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not this one
      }
    }
  }
  return undefined;
}

function tcpReachable(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((done) => {
    const socket = netConnect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.end();
      done(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      done(`no answer within ${timeoutMs / 1000} s`);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

function isIp(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}
