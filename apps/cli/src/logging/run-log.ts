// One JSON-lines log file per run in <state folder>/logs, written with pino. The file is created
// owner-only (0600): logs name groups, servers and accounts. Secrets are censored twice — by key
// (pino redact) and by value (the process-wide Redactor) — because a token can hide in any message.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Redactor } from '../output/redact.js';

export interface RunLog {
  readonly logger: Logger;
  readonly file: string;
  close(): void;
}

const SECRET_KEYS = [
  'password',
  'passphrase',
  'privateKey',
  'key',
  'token',
  'accessToken',
  'authorization',
  'secret',
];

export function openRunLog(options: {
  folder: string;
  runId: string;
  verbose: boolean;
  redactor: Redactor;
}): RunLog {
  const dir = join(options.folder, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${options.runId}.jsonl`);
  const fd = openSync(file, 'a', 0o600);
  const logger = pino(
    {
      level: options.verbose ? 'debug' : 'info',
      base: { runId: options.runId },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: SECRET_KEYS.flatMap((k) => [k, `*.${k}`]), censor: '********' },
      hooks: { streamWrite: (line) => options.redactor.redact(line) },
    },
    pino.destination({ fd, sync: true }),
  );
  return {
    logger,
    file,
    close: () => {
      logger.flush();
      closeSync(fd);
    },
  };
}

/** A sortable, unique enough id for a run: 20261122T031500Z-1a2b3c. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
