// Writes to the store as fast as it can, from several concurrent loops, until it is killed.
// Every write is a multi-row transaction (journal entry + current step, three findings, a batch with
// its levels and migrations). Prints "acknowledged <n>" after every tenth finished write.
import { openStateStore } from '../../src/index.js';

const [target] = process.argv.slice(2);
if (!target) throw new Error('usage: journal-writer.ts <store>');

const store = await openStateStore(target);
const ids = ['w-0', 'w-1', 'w-2', 'w-3'];
for (const id of ids)
  await store.createMigration({ id, group: { address: `${id}@contoso.com` }, strategy: 'recreate' });
console.log('ready');

let acknowledged = 0;
async function writeOne(n: number): Promise<void> {
  const id = ids[n % ids.length] as string;
  if (n % 10 === 9) {
    await store.createBatch({
      input: { groups: 3, levels: 2 },
      levels: [
        [
          { group: { address: `c1-${n}@contoso.com` }, strategy: 'recreate' },
          { group: { address: `c2-${n}@contoso.com` }, strategy: 'convert' },
        ],
        [{ group: { address: `p-${n}@contoso.com` }, strategy: 'recreate' }],
      ],
    });
  } else if (n % 10 === 5) {
    await store.addFindings(
      id,
      ['a', 'b', 'c'].map((part) => ({
        code: `E_${part}`,
        severity: 'info' as const,
        message: `finding ${part} of write ${n}`,
      })),
    );
  } else {
    await store.appendJournal(id, {
      step: `step-${n % 7}`,
      event: 'completed',
      data: { n, padding: 'x'.repeat(n % 500) },
    });
  }
}

let next = 0;
async function loop(): Promise<never> {
  for (;;) {
    await writeOne(next++);
    if (++acknowledged % 10 === 0) console.log(`acknowledged ${acknowledged}`);
  }
}
await Promise.all([loop(), loop(), loop()]);
