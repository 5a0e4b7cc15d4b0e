// Run in a child process by lab.test.ts: calls Lab.ensure at the same time as the test process,
// then prints what it got, so the test can check both processes ended up with one and the same lab.
import { Lab } from '../../src/index.js';

const name = process.argv[2];
if (!name) throw new Error('usage: ensure-child.ts <lab name>');
const lab = await Lab.ensure({ name });
const status = await lab.status();
process.stdout.write(
  `${JSON.stringify({ host: lab.env().host, pid: status.pid, salesGuid: lab.seeded()?.objects['groups.sales']?.objectGUID })}\n`,
);
