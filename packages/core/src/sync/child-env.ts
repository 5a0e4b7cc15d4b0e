// The environment an administrator's sync command runs with: what a program needs to start and find its
// tools on Linux or Windows, and nothing else. dlmigrate's own environment holds secrets
// (DLMIGRATE_AD_PASSWORD, DLMIGRATE_PFX_PASSPHRASE…); a script that logs its environment, or a tool that
// sends it on (ssh's SendEnv), must never see them.

const PASSED = new Set(
  [
    // POSIX
    'PATH',
    'HOME',
    'USER',
    'LOGNAME',
    'SHELL',
    'LANG',
    'TZ',
    'TMPDIR',
    // an ssh client in the script may use the administrator's agent (the agent never hands out keys)
    'SSH_AUTH_SOCK',
    // Windows: a process cannot start PowerShell or use sockets without these
    'SYSTEMROOT',
    'WINDIR',
    'COMSPEC',
    'PATHEXT',
    'TEMP',
    'TMP',
    'USERPROFILE',
    'USERNAME',
    'USERDOMAIN',
    'HOMEDRIVE',
    'HOMEPATH',
    'APPDATA',
    'LOCALAPPDATA',
    'PROGRAMDATA',
    'PROGRAMFILES',
    'PROGRAMFILES(X86)',
    'COMPUTERNAME',
    'PSMODULEPATH',
  ].map((name) => name.toUpperCase()),
);

/** The variables of `env` a sync command inherits (names compared case-insensitively, as Windows does). */
export function childEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const upper = name.toUpperCase();
    if (upper.startsWith('DLMIGRATE_')) continue;
    if (PASSED.has(upper) || upper.startsWith('LC_')) kept[name] = value;
  }
  return kept;
}
