// How the engine asks the directory sync to run now instead of waiting for its schedule (30 minutes for Entra
// Connect). Five kinds, chosen by configuration:
//   none              – wait for the schedule;
//   command           – run a command the administrator supplies (e.g. a script that calls Start-ADSyncSyncCycle on
//                       the Connect server); executed without a shell, so arguments are never re-interpreted, and
//                       with a minimal environment (child-env.ts: no DLMIGRATE_* secrets);
//   ssh               – run Start-ADSyncSyncCycle on the Entra Connect server over SSH (ssh-trigger.ts);
//   graph-cloud-sync  – start the Entra Cloud Sync job through Microsoft Graph;
//   http              – POST to an endpoint (the lab's simulated sync exposes one).
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import tls from 'node:tls';
import type { GraphClient } from '@dlmigrate/exo';
import { childEnvironment } from './child-env.js';
import { runSshTrigger, type SshTriggerConfig, type SshTriggerHooks } from './ssh-trigger.js';
import { SyncTriggerError } from './trigger-types.js';

export { SyncTriggerError, type SyncTriggerLogEntry } from './trigger-types.js';
export { probeSshTrigger, saysSyncAlreadyRunning } from './ssh-trigger.js';
export { parseHostKeyPin } from './ssh-host-key.js';

export type SyncTriggerConfig =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'command';
      readonly command: string;
      readonly args?: readonly string[];
      /** @defaultValue 300_000 */
      readonly timeoutMs?: number;
    }
  | SshTriggerConfig
  | { readonly kind: 'graph-cloud-sync'; readonly servicePrincipalId: string; readonly jobId: string }
  | {
      readonly kind: 'http';
      readonly url: string;
      readonly body?: unknown;
      /** Extra CA to trust for an https endpoint with a private certificate (verification stays on). */
      readonly caPem?: string;
      /** @defaultValue 600_000 — the endpoint may answer only once the cycle has run. */
      readonly timeoutMs?: number;
    };

export interface SyncTrigger {
  readonly kind: SyncTriggerConfig['kind'];
  /** Starts a sync cycle; resolves once the sync has accepted the request (not when it finishes). */
  trigger(): Promise<void>;
}

/** The one Graph call the cloud-sync trigger needs. */
export type SyncJobStarter = Pick<GraphClient, 'startSyncJob'>;

/** Where a trigger reports what it ran (the CLI writes it to the run log) and what it could not check. */
export type SyncTriggerHooks = SshTriggerHooks;

export function createSyncTrigger(
  config: SyncTriggerConfig,
  graph?: SyncJobStarter,
  hooks: SyncTriggerHooks = {},
): SyncTrigger {
  switch (config.kind) {
    case 'none':
      return { kind: 'none', trigger: async () => {} };
    case 'command': {
      // Refused before anything runs: on Windows the first trigger would fail only once the groups are parked.
      const problem = windowsCommandProblem(config.command);
      if (problem !== null) throw new SyncTriggerError(problem);
      return {
        kind: 'command',
        trigger: () => runCommand(config.command, config.args ?? [], config.timeoutMs ?? 300_000, hooks),
      };
    }
    case 'ssh':
      return { kind: 'ssh', trigger: () => runSshTrigger(config, hooks) };
    case 'graph-cloud-sync': {
      if (graph === undefined)
        throw new SyncTriggerError('the graph-cloud-sync trigger needs a Graph client');
      return {
        kind: 'graph-cloud-sync',
        trigger: async () => {
          try {
            await graph.startSyncJob(config.servicePrincipalId, config.jobId);
          } catch (error) {
            throw new SyncTriggerError(
              `starting the Cloud Sync job ${config.jobId} failed: ${String(error)}`,
              { cause: error },
            );
          }
        },
      };
    }
    case 'http':
      return { kind: 'http', trigger: () => postTrigger(config) };
  }
}

/**
 * Why Windows cannot start this sync command the way the trigger does — without a shell — or null. Node refuses to
 * start a .bat or .cmd file without one (its fix for CVE-2024-27980), and a bare name is found there only as a .com or
 * .exe, so a script found through PATHEXT (`found`, where the doctor found the command) would not start either.
 */
export function windowsCommandProblem(
  command: string,
  platform: NodeJS.Platform = process.platform,
  found?: string,
): string | null {
  if (platform !== 'win32') return null;
  const file = found ?? command;
  if (!/\.(bat|cmd)$/i.test(file)) return null;
  return (
    `sync.command ${file} is a batch file, which Windows runs only through cmd.exe, and dlmigrate starts the ` +
    'sync command without a shell (so that no argument is re-interpreted): set sync.command to powershell.exe ' +
    `with sync.args ["-NoProfile", "-File", "<script>.ps1"], or to cmd.exe with sync.args ["/d", "/c", "${file}"]`
  );
}

function runCommand(
  command: string,
  args: readonly string[],
  timeoutMs: number,
  hooks: SyncTriggerHooks,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const options = { timeout: timeoutMs, windowsHide: true, env: childEnvironment(process.env) };
    execFile(command, [...args], options, (error, stdout, stderr) => {
      const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      hooks.onLog?.({
        kind: 'command',
        target: command,
        command: [command, ...args].join(' '),
        attempt: 1,
        outcome: error === null ? 'accepted' : 'failed',
        exitCode,
        ...(error?.signal ? { signal: error.signal } : {}),
        stdout: stdout.slice(-16_384),
        stderr: stderr.slice(-16_384),
      });
      if (error === null) return resolve();
      const why = error.killed
        ? `timed out after ${timeoutMs} ms`
        : `exited with ${error.code ?? 'an error'}`;
      const detail = stderr.trim().split('\n').slice(-3).join(' | ');
      reject(
        new SyncTriggerError(`sync command ${command} ${why}${detail ? `: ${detail}` : ''}`, {
          cause: error,
        }),
      );
    });
  });
}

function postTrigger(config: Extract<SyncTriggerConfig, { kind: 'http' }>): Promise<void> {
  const url = new URL(config.url);
  const body = JSON.stringify(config.body ?? {});
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: config.timeoutMs ?? 600_000,
        ...(config.caPem === undefined ? {} : { ca: [...tls.rootCertificates, config.caPem] }),
      },
      (res) => {
        res.resume(); // drain so the socket is released
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else
            reject(
              new SyncTriggerError(`sync endpoint ${url.origin}${url.pathname} answered ${status}`, {
                transient: status === 429 || status >= 500,
              }),
            );
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) =>
      reject(
        new SyncTriggerError(`sync endpoint ${url.origin}${url.pathname} unreachable: ${error.message}`, {
          cause: error,
          transient: true,
        }),
      ),
    );
    req.end(body);
  });
}
