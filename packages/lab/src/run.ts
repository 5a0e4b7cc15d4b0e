// Running the Samba and OpenSSL tools. Output is captured and only shown (its tail) when a tool fails.
import { execFile } from 'node:child_process';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** What the step is, for the error message ("provision", "schema extension"). */
  step: string;
  timeoutMs?: number;
  /** Values never to repeat in an error message (a password on the command line). */
  secrets?: string[];
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 10 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          let tail = `${stdout.trim()}\n${stderr.trim()}`.trim().split('\n').slice(-15).join('\n');
          for (const secret of options.secrets ?? []) if (secret) tail = tail.split(secret).join('***');
          reject(
            new Error(
              `${options.step} failed (${command} exited ${String(error.code ?? error.signal)}):\n${tail}`,
            ),
          );
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}

/** True when `command` is on PATH (or an absolute path that exists). */
export async function hasCommand(command: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v "$0" >/dev/null`, command], { step: `looking for ${command}` });
    return true;
  } catch {
    return false;
  }
}

export function assertRoot(what: string): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(
      `${what} needs root: Samba's AD DC only runs as root (and apt-get needs it to install Samba)`,
    );
  }
}
