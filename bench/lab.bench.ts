// Lab benchmark: prints how long the lab's lifecycle steps take on this machine (figures only, no
// pass/fail). Uses its own instance `bench-lab`, created from scratch and destroyed at the end.
//   node --import tsx --conditions=dlmigrate-source bench/lab.bench.ts [--rounds 5]
import { parseArgs } from 'node:util';
import { Lab, type LabStep } from '@dlmigrate/lab';

const NAME = 'bench-lab';
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');

const ms = (n: number) => `${Math.round(n)} ms`;
function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  return `median ${ms(median)}, min ${ms(sorted[0] as number)}, max ${ms(sorted[sorted.length - 1] as number)} (${samples.length} runs)`;
}
async function time(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const existing = await Lab.open(NAME);
if (existing) await existing.destroy();

const steps = new Map<LabStep, number>();
let lab: Lab | undefined;
try {
  const ensureMs = await time(async () => {
    lab = await Lab.ensure({ name: NAME, onStep: (step, took) => steps.set(step, took) });
  });
  if (!lab) throw new Error('ensure returned no lab');
  const seeded = lab.seeded();
  if (!seeded) throw new Error('bench-lab was not seeded');

  const startToReady: number[] = [];
  const resets: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < rounds; i++) {
    stops.push(await time(() => (lab as Lab).stop()));
    startToReady.push(await time(() => (lab as Lab).start()));
  }
  for (let i = 0; i < rounds; i++) resets.push(await time(() => (lab as Lab).reset()));
  const reuse = await time(async () => {
    await Lab.ensure({ name: NAME });
  });

  const s = seeded.stats;
  const lines = [
    `lab benchmark (instance ${NAME} on ${lab.env().host}, Samba AD DC, fixture ${seeded.fixture})`,
    `  install check          ${ms(steps.get('install') ?? 0)}`,
    `  provision              ${ms(steps.get('provision') ?? 0)}  (samba-tool + TLS CA/cert + Exchange schema)`,
    `  first start to ready   ${ms(steps.get('start') ?? 0)}`,
    `  seed                   ${ms(s.ms)}  (${s.objects} objects, ${s.linkValues} link values: ${Math.round((s.objects / s.ms) * 1000)} objects/s)`,
    `    adds / links / read   ${ms(s.phases.add)} (${Math.round((s.objects / Math.max(s.phases.add, 1)) * 1000)} adds/s) / ${ms(s.phases.link)} / ${ms(s.phases.read)}`,
    `  golden snapshot        ${ms(steps.get('snapshot') ?? 0)}  (stop, copy, start, ready)`,
    `  whole first ensure     ${ms(ensureMs)}`,
    `  ensure (reuse)         ${ms(reuse)}`,
    `  stop                   ${summary(stops)}`,
    `  start to ready         ${summary(startToReady)}  (LDAPS bind with verification)`,
    `  reset                  ${summary(resets)}  (stop, restore golden copy, start, ready)`,
  ];
  console.log(lines.join('\n'));
} finally {
  await lab?.destroy();
}
