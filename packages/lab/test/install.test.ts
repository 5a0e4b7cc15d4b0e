// What install() sees. The apt path itself only runs on a machine without Samba (CI's first step);
// here Samba is installed, so this checks the detection and the refusal path, changing nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { install, SAMBA_PACKAGES } from '../src/index.js';
import { missingPieces } from '../src/install.js';

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('install', () => {
  it('finds every tool the lab needs, and then does nothing', async () => {
    expect(await missingPieces()).toEqual([]);
    await expect(install()).resolves.toEqual({ installed: false, missingBefore: [] });
  });

  it('lists samba-ad-provision explicitly (a mere Recommends that provisioning needs)', () => {
    expect(SAMBA_PACKAGES).toContain('samba-ad-provision');
  });

  it('refuses clearly, naming what is missing, where there is no apt-get', async () => {
    process.env.PATH = '/nonexistent';
    await expect(install()).rejects.toThrow(
      /Samba is not installed \(missing: samba, samba-tool, ldbmodify, openssl, cp\).*apt-get/,
    );
  });
});
