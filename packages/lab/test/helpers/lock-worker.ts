// Run in child processes by lock.test.ts: takes the lock several times and records when it holds it.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { withLock } from '../../src/lock.js';

const [lockPath, logPath, rounds] = process.argv.slice(2);
if (!lockPath || !logPath || !rounds) throw new Error('usage: lock-worker.ts <lock> <log> <rounds>');
for (let i = 0; i < Number(rounds); i++) {
  await withLock(lockPath, async () => {
    appendFileSync(logPath, `enter ${process.pid}\n`);
    await sleep(20);
    appendFileSync(logPath, `leave ${process.pid}\n`);
  });
}
