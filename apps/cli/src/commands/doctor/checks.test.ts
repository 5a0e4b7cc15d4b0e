import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.js';
import { checkFilePermissions, checkSyncTrigger, findExecutable } from './checks.js';

describe('doctor on Windows', () => {
  it('finds a sync script by its PATHEXT extension, as cmd.exe would', () => {
    const dir = mkdtempSync(join(tmpdir(), 'doctor-win-'));
    writeFileSync(join(dir, 'Start-DeltaSync.CMD'), '@echo off\n');
    chmodSync(join(dir, 'Start-DeltaSync.CMD'), 0o755);
    expect(findExecutable('Start-DeltaSync', dir, 'win32', '.EXE;.CMD')).toBe(
      join(dir, 'Start-DeltaSync.CMD'),
    );
    expect(findExecutable('Start-DeltaSync', dir, 'linux')).toBeUndefined();
    expect(findExecutable(join(dir, 'Start-DeltaSync.CMD'), '', 'win32')).toBe(
      join(dir, 'Start-DeltaSync.CMD'),
    );
  });

  it('fails a sync script that PATHEXT finds but the trigger could not start (no shell for .cmd)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doctor-win-'));
    for (const name of ['Start-DeltaSync.CMD', 'Start-Other.EXE']) {
      writeFileSync(join(dir, name), '');
      chmodSync(join(dir, name), 0o755);
    }
    const sync = (command: string) => configSchema.parse({ sync: { kind: 'command', command } }).sync;
    const env = { PATH: dir, PATHEXT: '.EXE;.CMD' };
    expect(await checkSyncTrigger(sync('Start-DeltaSync'), env, 'win32')).toMatchObject({
      status: 'fail',
      detail: `${join(dir, 'Start-DeltaSync.CMD')} cannot be started without a shell`,
    });
    expect(await checkSyncTrigger(sync('Start-Other'), env, 'win32')).toMatchObject({ status: 'ok' });
  });

  it('warns that file modes do not make files owner-only there', () => {
    const config = configSchema.parse({});
    expect(checkFilePermissions(config, 'win32')).toMatchObject({ status: 'warn', id: 'file-permissions' });
    expect(checkFilePermissions(config, 'linux').status).toBe('ok');
  });
});
