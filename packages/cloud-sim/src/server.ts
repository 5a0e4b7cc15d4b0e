// Standalone simulator process for the CLI, e2e tests and the demo:
//   node --import tsx --conditions=dlmigrate-source packages/cloud-sim/src/server.ts \
//     --port 0 --state-file /tmp/cloud-sim.json [--http] [--host 127.0.0.1] [--setup setup.json]
// Writes {url, caPem, pid, ...} to --state-file (mode 0600) once listening; stops on SIGTERM/SIGINT.
// --setup takes a JSON file: {"tenants":[{"tenant":{CreateTenantInput},"apps":[RegisterAppInput],
// "recipients":[SeedRecipient],"sync":SyncConfig}]}.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CloudSim } from './cloud-sim.js';
import type { SyncConfig } from './sync/engine.js';
import type { CreateTenantInput, RegisterAppInput, SeedRecipient } from './tenants.js';

interface SetupFile {
  tenants?: {
    tenant: CreateTenantInput;
    apps?: RegisterAppInput[];
    recipients?: SeedRecipient[];
    sync?: SyncConfig;
  }[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      http: { type: 'boolean', default: false },
      'state-file': { type: 'string' },
      setup: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got "${values.port}".`);
  const sim = await CloudSim.start({ host: values.host, port, https: !values.http });
  const tenants: { id: string; name: string }[] = [];
  if (values.setup) {
    const setup = JSON.parse(readFileSync(values.setup, 'utf8')) as SetupFile;
    for (const t of setup.tenants ?? []) {
      const tenant = sim.createTenant(t.tenant);
      for (const app of t.apps ?? []) sim.registerApp(tenant.id, app);
      if (t.recipients) sim.seedRecipients(tenant.id, t.recipients);
      if (t.sync) sim.configureSync(tenant.id, t.sync);
      tenants.push({ id: tenant.id, name: tenant.name });
    }
  }
  const stateFile = values['state-file'];
  if (stateFile) {
    // Written whole then renamed, so a reader polling for the file never sees half of it.
    const partial = `${stateFile}.${process.pid}.tmp`;
    writeFileSync(
      partial,
      JSON.stringify({ url: sim.url, caPem: sim.caPem, pid: process.pid, tenants }, null, 2),
      { mode: 0o600 },
    );
    renameSync(partial, stateFile);
  }
  console.log(`cloud-sim listening on ${sim.url} (pid ${process.pid})`);
  const shutdown = () => {
    void sim.stop().finally(() => {
      if (stateFile) rmSync(stateFile, { force: true });
      process.exit(0);
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  console.error(`cloud-sim: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
