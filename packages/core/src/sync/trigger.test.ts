import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSyncTrigger,
  saysSyncAlreadyRunning,
  windowsCommandProblem,
  type SyncTriggerLogEntry,
} from './trigger.js';

describe('sync triggers', () => {
  it('runs the command without a shell, passing arguments literally', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-sync-'));
    const target = join(dir, 'ran; touch injected');
    const trigger = createSyncTrigger({
      kind: 'command',
      command: process.execPath,
      args: ['-e', 'require("node:fs").writeFileSync(process.argv[1], "delta")', target],
    });
    await trigger.trigger();
    expect(readFileSync(target, 'utf8')).toBe('delta');
    expect(existsSync(join(dir, 'injected'))).toBe(false);
  });

  it('reports a failing command with its exit code and stderr', async () => {
    const trigger = createSyncTrigger({
      kind: 'command',
      command: process.execPath,
      args: ['-e', 'console.error("sync busy"); process.exit(3)'],
    });
    await expect(trigger.trigger()).rejects.toThrow(/exited with 3: sync busy/);
  });

  it('POSTs to the http endpoint and fails on a non-2xx answer', async () => {
    const seen: string[] = [];
    let status = 202;
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.statusCode = status;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const trigger = createSyncTrigger({ kind: 'http', url: `http://127.0.0.1:${port}/control/sync` });
      await trigger.trigger();
      expect(seen).toEqual(['POST /control/sync']);
      status = 409;
      await expect(trigger.trigger()).rejects.toThrow(/answered 409/);
    } finally {
      server.close();
    }
  });

  it('starts the Cloud Sync job through Graph, and needs a Graph client for it', async () => {
    const posts: string[] = [];
    const trigger = createSyncTrigger(
      { kind: 'graph-cloud-sync', servicePrincipalId: 'sp 1', jobId: 'AD2AADProvisioning.x' },
      { startSyncJob: async (sp, job) => void posts.push(`${sp}/${job}`) },
    );
    await trigger.trigger();
    expect(posts).toEqual(['sp 1/AD2AADProvisioning.x']);
    expect(() =>
      createSyncTrigger({ kind: 'graph-cloud-sync', servicePrincipalId: 's', jobId: 'j' }),
    ).toThrow(/Graph client/);
    await expect(createSyncTrigger({ kind: 'none' }).trigger()).resolves.toBeUndefined();
  });

  it('gives the command no DLMIGRATE_* variables, and logs what it printed', async () => {
    process.env['DLMIGRATE_AD_PASSWORD'] = 'secret-for-dlmigrate-only';
    const log: SyncTriggerLogEntry[] = [];
    try {
      const trigger = createSyncTrigger(
        {
          kind: 'command',
          command: process.execPath,
          args: [
            '-e',
            'const names = Object.keys(process.env); console.log(names.filter(n => n.startsWith("DLMIGRATE")).length, names.includes("PATH"))',
          ],
        },
        undefined,
        { onLog: (entry) => log.push(entry) },
      );
      await trigger.trigger();
    } finally {
      delete process.env['DLMIGRATE_AD_PASSWORD'];
    }
    expect(log).toEqual([
      expect.objectContaining({ kind: 'command', outcome: 'accepted', exitCode: 0, stdout: '0 true\n' }),
    ]);
  });
});

describe('"sync already running" from Start-ADSyncSyncCycle', () => {
  it('is recognised in both forms Entra Connect prints, and nothing else', () => {
    expect(
      saysSyncAlreadyRunning(
        'Start-ADSyncSyncCycle : System.InvalidOperationException: Sync is already running. Cannot start a new run till this one completes.',
      ),
    ).toBe(true);
    expect(
      saysSyncAlreadyRunning(
        'Start-ADSyncSyncCycle : System.InvalidOperationException:\r\n   Connector: contoso.onmicrosoft.com - AAD is busy.',
      ),
    ).toBe(true);
    expect(saysSyncAlreadyRunning("Import-Module : The specified module 'ADSync' was not loaded")).toBe(
      false,
    );
    expect(saysSyncAlreadyRunning('System.InvalidOperationException: staging mode is enabled')).toBe(false);
  });
});

describe('a sync command on Windows', () => {
  it('refuses a batch file (no shell starts it) and names the two ways that work', () => {
    const problem = windowsCommandProblem('C:\\Sync\\Start-Delta.CMD', 'win32');
    expect(problem).toContain('C:\\Sync\\Start-Delta.CMD is a batch file');
    expect(problem).toContain('powershell.exe');
    expect(problem).toContain('sync.args ["/d", "/c", "C:\\Sync\\Start-Delta.CMD"]');
    expect(windowsCommandProblem('sync.bat', 'win32')).not.toBeNull();
    // A bare name the doctor found through PATHEXT as a script would not start either.
    expect(windowsCommandProblem('Start-Delta', 'win32', 'C:\\Sync\\Start-Delta.cmd')).not.toBeNull();
  });

  it('accepts programs, and anything on other systems', () => {
    expect(windowsCommandProblem('powershell.exe', 'win32')).toBeNull();
    expect(windowsCommandProblem('Start-Delta', 'win32', 'C:\\Sync\\Start-Delta.exe')).toBeNull();
    expect(windowsCommandProblem('/opt/sync/run.cmd', 'linux')).toBeNull();
  });

  it('lets a batch-file name through where one can run (this system is not Windows)', () => {
    expect(process.platform).not.toBe('win32');
    expect(createSyncTrigger({ kind: 'command', command: '/opt/sync/run.cmd' }).kind).toBe('command');
  });
});
