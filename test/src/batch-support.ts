// Shared by the batch end-to-end tests and the runner child process: mail-enabled groups created in the lab the way
// Exchange stamps them, and runner processes started as separate Node processes (per-test PostgreSQL databases:
// @dlmigrate/state/testing throwawayPostgres).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childDn, type ActiveDirectory } from '@dlmigrate/ad';
import type { BatchEvent } from '@dlmigrate/core';
import { spawnWatched, type WatchedProcess } from '@dlmigrate/state/testing';
import type { ChildConfig } from './world.js';

export interface NewGroup {
  readonly name: string;
  readonly alias: string;
  /** DNs of the members. */
  readonly members: readonly string[];
}

/** Creates mail-enabled universal distribution groups (Exchange's stamps) in `ou`; returns their DNs. */
export async function createMailGroups(
  ad: ActiveDirectory,
  ou: string,
  groups: readonly NewGroup[],
): Promise<string[]> {
  const dns: string[] = [];
  for (const g of groups) {
    const dn = childDn('CN', g.name, ou);
    await ad.connection.add(dn, {
      objectClass: ['top', 'group'],
      sAMAccountName: [g.alias.slice(0, 20)],
      groupType: ['8'],
      displayName: [g.name],
      mail: [`${g.alias}@contoso.com`],
      mailNickname: [g.alias],
      proxyAddresses: [`SMTP:${g.alias}@contoso.com`, `smtp:${g.alias}@contoso.mail.onmicrosoft.com`],
      legacyExchangeDN: [
        `/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${randomBytes(16).toString('hex')}-${g.alias}`,
      ],
      msExchRecipientDisplayType: ['1'],
      msExchRecipientTypeDetails: ['256'],
      ...(g.members.length > 0 ? { member: [...g.members] } : {}),
    });
    dns.push(dn);
  }
  return dns;
}

// ── runner processes ─────────────────────────────────────────────────────────────────────────────

/** `statePath` may be a SQLite path or a postgres:// URL. */
export interface RunnerConfig extends ChildConfig {
  readonly batchId: string;
  readonly runnerId: string;
  /** Lease of the runner's migrations (short in tests, so a killed runner's work is taken over soon). */
  readonly leaseMs: number;
}

/** A runner process: its batch events (one JSON line each), and its last other line, `done <status>` when it finished. */
export type RunnerProcess = WatchedProcess<BatchEvent> & {
  readonly events: BatchEvent[];
  result(): string | undefined;
};

const here = dirname(fileURLToPath(import.meta.url));

/** Starts test/src/batch-runner.ts as its own Node process, the way a second machine would run the batch. */
export function startRunner(config: RunnerConfig): RunnerProcess {
  // The config holds the test app's private key: owner-only file.
  const file = join(mkdtempSync(join(tmpdir(), 'dlmigrate-runner-')), 'config.json');
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  const child = spawnWatched<BatchEvent>(join(here, 'batch-runner.ts'), [file], {
    cwd: join(here, '..'),
    label: `runner ${config.runnerId}`,
    parse: (line) => (line.startsWith('{') ? (JSON.parse(line) as BatchEvent) : undefined),
  });
  return Object.assign(child, { events: child.items, result: child.lastOther });
}
