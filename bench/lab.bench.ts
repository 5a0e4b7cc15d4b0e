// Lab benchmark: prints how long the lab's lifecycle steps take on this machine (figures only, no
// pass/fail). Uses its own instance `bench-lab`, created from scratch and destroyed at the end; then seeds a
// big-groups fixture of `--big` mail contacts offline (instance `bench-big`, and with --ldap-too the same fixture
// over LDAP in `bench-big-ldap`, for comparison), prints its figures and reset time, and destroys those too.
//   node --import tsx --conditions=dlmigrate-source bench/lab.bench.ts [--rounds 5] [--big 10000] [--ldap-too]
import { parseArgs } from 'node:util';
import { bigGroupsFixture, Lab, type LabStep, type SeedResult } from '@dlmigrate/lab';

const NAME = 'bench-lab';
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    big: { type: 'string', default: '10000' },
    'ldap-too': { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
const bigSize = Number(values.big);
if (!Number.isInteger(bigSize) || bigSize < 0) throw new Error('--big must be a whole number (0: skip)');

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

/** Seeds the big-groups fixture of `size` contacts into a fresh instance; prints its figures; destroys it. */
async function seedBig(name: string, method: 'offline' | 'ldap'): Promise<void> {
  await (await Lab.open(name))?.destroy();
  const fixture = { ...bigGroupsFixture([bigSize]), seedMethod: method };
  let big: Lab | undefined;
  try {
    const took = new Map<LabStep, number>();
    big = await Lab.ensure({ name, fixture, onStep: (step, ms) => took.set(step, ms) });
    const s = (big.seeded() as SeedResult).stats;
    const resets: number[] = [];
    for (let i = 0; i < Math.min(rounds, 3); i++) resets.push(await time(() => (big as Lab).reset()));
    const p = s.phases;
    console.log(
      [
        `\nbig-groups fixture, ${bigSize} mail contacts in one group, seeded ${method === 'offline' ? 'offline (LDIF into the stopped DC, indexes rebuilt once)' : 'over LDAP'} (instance ${name})`,
        `  seed                   ${ms(s.ms)}  (${s.objects} objects, ${s.linkValues} link values: ${Math.round((s.objects / s.ms) * 1000)} objects/s)`,
        `    adds                 ${ms(p.add)} (${Math.round((s.objects / Math.max(p.add, 1)) * 1000)} adds/s)`,
        `    links / read back    ${ms(p.link)} / ${ms(p.read)}`,
        ...(p.index !== undefined ? [`    index rebuild + compaction ${ms(p.index)}`] : []),
        `  golden snapshot        ${ms(took.get('snapshot') ?? 0)}`,
        `  reset                  ${summary(resets)}`,
      ].join('\n'),
    );
  } finally {
    await big?.destroy();
  }
}

if (bigSize > 0) {
  await seedBig('bench-big', 'offline');
  if (values['ldap-too']) await seedBig('bench-big-ldap', 'ldap');
}
