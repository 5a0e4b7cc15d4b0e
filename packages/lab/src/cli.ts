#!/usr/bin/env node
// `lab install | up | down | reset | env | status [--name n] [--no-seed | --big-groups sizes]`, for scripts and CI.
// Progress goes to stderr; stdout carries only what a script consumes (env lines, status JSON).
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { envShellLines } from './env.js';
import { bigGroupsFixture } from './fixtures/big-groups.js';
import { install } from './install.js';
import { Lab } from './lab.js';
import { postgresClusters, stopPostgresCluster } from './postgres.js';

const USAGE = `usage: lab <command> [--name <instance> | --all] [--no-seed | --big-groups <sizes>]
  install   install Samba (Debian apt) if missing
  up        install, provision, start and seed (contoso) the instance; reuse it if it exists
            --big-groups 10000,20000,40000,100000: the big-groups fixture instead, seeded offline
  down      stop the instance and remove its folder (--all: every instance, and the tests' .lab/postgres-* servers)
  stop      stop the instance, keep its folder (--all: every instance, and the tests' .lab/postgres-* servers)
  start     start a stopped instance and wait until it answers
  reset     restore the instance's golden (seeded) copy
  env       print export LAB_...= lines (includes the lab password: eval them, do not log them)
  status    print the instance's state as JSON (every instance when --name is not given)
--name defaults to "default" (127.0.0.1).`;

const log = (line: string) => process.stderr.write(`[lab] ${line}\n`);

async function mustOpen(name: string): Promise<Lab> {
  const lab = await Lab.open(name, log);
  if (!lab) throw new Error(`no lab named ${name}: run "lab up --name ${name}" first`);
  return lab;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      all: { type: 'boolean' },
      'no-seed': { type: 'boolean' },
      'big-groups': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...extra] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  if (extra.length > 0) throw new Error(`unexpected arguments: ${extra.join(' ')}\n${USAGE}`);
  const name = values.name ?? 'default';
  if (values.all && values.name) throw new Error('give either --name or --all, not both');
  const targets = async () => (values.all ? await Lab.list() : [name]);
  switch (command) {
    case 'install': {
      const result = await install(log);
      log(result.installed ? 'installed' : 'already installed');
      return 0;
    }
    case 'up': {
      const started = performance.now();
      if (values['no-seed'] && values['big-groups']) throw new Error('give either --no-seed or --big-groups');
      const sizes = values['big-groups']?.split(',').map((n) => Number(n.trim()));
      const fixture = values['no-seed'] ? null : sizes ? bigGroupsFixture(sizes) : undefined;
      const lab = await Lab.ensure({ name, fixture, log });
      const env = lab.env();
      log(
        `lab ${name} ready on ${env.url} (CA ${env.caFile}) in ${Math.round(performance.now() - started)} ms`,
      );
      return 0;
    }
    case 'down': {
      for (const n of await targets()) {
        const lab = await Lab.open(n, log);
        if (!lab) {
          log(`no lab named ${n}`);
          continue;
        }
        await lab.destroy();
        log(`lab ${n} removed`);
      }
      // The tests' own PostgreSQL servers (postgres.ts) live in the labs folder too: --all means them as well.
      if (values.all) {
        for (const dir of await postgresClusters()) {
          const stopped = await stopPostgresCluster(dir);
          await rm(dir, { recursive: true, force: true });
          log(`PostgreSQL ${basename(dir)} ${stopped ? 'stopped and ' : ''}removed`);
        }
      }
      return 0;
    }
    case 'stop': {
      for (const n of await targets()) await (await mustOpen(n)).stop();
      if (values.all) {
        for (const dir of await postgresClusters())
          if (await stopPostgresCluster(dir)) log(`PostgreSQL ${basename(dir)} stopped`);
      }
      return 0;
    }
    case 'start': {
      await (await mustOpen(name)).start();
      return 0;
    }
    case 'reset': {
      await (await mustOpen(name)).reset();
      log(`lab ${name} reset to its golden copy`);
      return 0;
    }
    case 'env': {
      const lab = await mustOpen(name);
      process.stdout.write(`${envShellLines(lab.env()).join('\n')}\n`);
      return 0;
    }
    case 'status': {
      const names = values.name ? [values.name] : await Lab.list();
      const statuses = [];
      for (const n of names) {
        const lab = await Lab.open(n, log);
        statuses.push(lab ? await lab.status() : { name: n, exists: false });
      }
      process.stdout.write(`${JSON.stringify(values.name ? statuses[0] : statuses, null, 2)}\n`);
      return 0;
    }
    default:
      throw new Error(`unknown command ${command}\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`lab: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
