/**
 * The Tidings benchmarks (issue 6; docs/BENCHMARKS.md has the figures and how to read them).
 *
 *   npm run bench               full run (10,000 sockets; several minutes)
 *   npm run bench -- --quick    the same scenarios, smaller, in under two minutes
 *   npm run bench -- --only=fanout,likes,storm,storage,core
 *   npm run bench -- --only=storm-postgres     one of the storm's two set-ups (or storm-lowdb)
 *   npm run bench -- --only=likes-postgres     the likes on PostgreSQL alone (or likes-lowdb)
 *   npm run bench -- --force    run even on a busy machine; figures marked NOT REPORTABLE
 *
 * The server runs as built JS (dist/), with rate limits off; clients run in child processes.
 * Everything binds 127.0.0.1, every wait is bounded, and every process started is stopped.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { coreFootprint } from './scenarios/coreFootprint.js';
import { fanout } from './scenarios/fanout.js';
import { likesUnderLoad, type LikesSetup } from './scenarios/likes.js';
import { gateScenario } from './machineLoad.js';
import { reconnectStorm } from './scenarios/reconnectStorm.js';
import { storageGrowth } from './scenarios/storageGrowth.js';
import { likesDataPlan } from './seed.js';

const quick = process.argv.includes('--quick');
const force = process.argv.includes('--force');
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
const wants = (name: string): boolean => only === undefined || only.has(name);
// A misspelt name would otherwise run nothing and say nothing, which reads like a quiet success.
const KNOWN_SCENARIOS = [
  'fanout',
  'likes',
  'likes-lowdb',
  'likes-postgres',
  'storm',
  'storm-lowdb',
  'storm-postgres',
  'storage',
  'core',
];
const unknown = [...(only ?? [])].filter((name) => !KNOWN_SCENARIOS.includes(name));
if (unknown.length > 0) {
  console.error(
    `npm run bench: no scenario named ${unknown.join(', ')}; --only takes ${KNOWN_SCENARIOS.join(', ')}`,
  );
  process.exit(2);
}
const refused: string[] = [];
const forced: string[] = [];

/** Prints the load before a scenario; false (and noted) when it is refused. */
async function quietEnough(name: string): Promise<boolean> {
  const gate = await gateScenario(name, cpus().length, force);
  if (gate === 'refused') refused.push(name);
  if (gate === 'forced') forced.push(name);
  return gate !== 'refused';
}

const SIZES = quick
  ? {
      fanout: [200, 1_000],
      fanoutPosts: 10,
      likes: likesDataPlan(true),
      likeSeconds: 10,
      storm: 1_000,
      storage: { users: 2_000, authors: 10, subscribe: true, posts: 100, likesPerPost: 100 },
      coreIdleSeconds: 10,
    }
  : {
      fanout: [200, 1_000, 10_000],
      fanoutPosts: 20,
      likes: likesDataPlan(false),
      likeSeconds: 30,
      storm: 10_000,
      storage: { users: 10_010, authors: 10, subscribe: true, posts: 100, likesPerPost: 1_000 },
      coreIdleSeconds: 60,
    };
/** Client processes holding sockets: more than the cores, so no one process is the bottleneck. */
const CLIENT_PROCESSES = 4;
/** Each socket costs a file descriptor in the server and one in a client process. */
const biggest = Math.max(...SIZES.fanout, SIZES.storm);

function checkFileLimit(): void {
  const soft = Number(execFileSync('sh', ['-c', 'ulimit -Sn']).toString().trim());
  const hard = execFileSync('sh', ['-c', 'ulimit -Hn']).toString().trim();
  const needed = biggest + 1_000;
  console.log(
    `open-file limit: soft ${soft}, hard ${hard}; the biggest run needs about ${needed} in the server`,
  );
  if (soft < needed) {
    console.error(
      `The open-file limit (ulimit -n = ${soft}) is too low for ${biggest} sockets. Raise it in this shell and run again:\n` +
        `  ulimit -n ${hard === 'unlimited' ? 65536 : Math.min(Number(hard), 65536)}   # up to the hard limit (ulimit -Hn); beyond it needs /etc/security/limits.conf\n` +
        `or run the quick mode: npm run bench -- --quick`,
    );
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `Tidings bench (${quick ? 'quick' : 'full'}): ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
  );
  checkFileLimit();
  if (wants('fanout')) {
    console.log('1+2. fan-out and connections, beside the bare socket.io floor');
    for (const n of SIZES.fanout) {
      // At 200 a post costs a few ms of CPU and a GC or a timer in one post's window moves a
      // 20-post mean by a ms: three times the posts there, for floor and Tidings alike.
      const posts = n <= 200 ? SIZES.fanoutPosts * 3 : SIZES.fanoutPosts;
      if (await quietEnough(`fan-out ${n}`)) await fanout(n, posts, CLIENT_PROCESSES, true);
    }
  }
  // Durable on power loss is the default; the kill -9-only mode beside it shows what it costs.
  // PostgreSQL on two nodes (issue 12) runs on the same seed, for the latency and the memory.
  // `--only=likes-lowdb` (both durabilities) or `--only=likes-postgres` runs one driver's set-ups.
  // Each lowdb set-up then sends the same likes to the likes' floor (bench/likesFloor.ts) in its
  // durability, and prints Tidings over it; PostgreSQL keeps its own rows.
  const likesSetups = (
    [
      { driver: 'lowdb', durability: 'power' },
      { driver: 'lowdb', durability: 'kill9' },
      { driver: 'postgres', nodes: 2 },
    ] satisfies LikesSetup[]
  ).filter((setup) => wants('likes') || only?.has(`likes-${setup.driver}`));
  if (likesSetups.length > 0) {
    console.log('3. likes under load (lowdb beside the likes’ floor)');
    for (const setup of likesSetups) {
      const name = setup.driver === 'lowdb' ? `durability ${setup.durability}` : '2 nodes';
      if (await quietEnough(`likes, ${setup.driver}, ${name}`)) {
        await likesUnderLoad(SIZES.likes, 200, SIZES.likeSeconds, 2, setup);
      }
    }
  }
  // PostgreSQL on two nodes (issue 12) beside lowdb on one, with as many clients;
  // `--only=storm-lowdb` or `--only=storm-postgres` runs one of them.
  const stormSetups = ([{ driver: 'lowdb' }, { driver: 'postgres', nodes: 2 }] as const).filter(
    (setup) => wants('storm') || only?.has(`storm-${setup.driver}`),
  );
  if (stormSetups.length > 0) {
    console.log('4. reconnect storm');
    for (const setup of stormSetups) {
      const name = setup.driver === 'lowdb' ? 'storm, lowdb' : 'storm, postgres, 2 nodes';
      if (await quietEnough(name)) {
        await reconnectStorm(SIZES.storm, CLIENT_PROCESSES, 60_000, setup);
      }
    }
  }
  if (wants('storage')) {
    console.log('5. storage growth');
    if (await quietEnough('storage')) await storageGrowth(SIZES.storage);
  }
  if (wants('core')) {
    console.log(
      '6. tray core footprint (Electron itself cannot run here, so its share is not measured)',
    );
    if (await quietEnough('core')) await coreFootprint(SIZES.coreIdleSeconds);
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (forced.length > 0) {
    console.log(`NOT REPORTABLE (run on a busy machine with --force): ${forced.join(', ')}`);
  }
  if (refused.length > 0) {
    console.log(`refused on a busy machine, not run: ${refused.join(', ')}`);
    process.exitCode = 2;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    // fetch's own message is only "fetch failed": the reason (ECONNREFUSED, EADDRNOTAVAIL, …) is
    // in its cause.
    const reasons: string[] = [];
    for (let at: unknown = error; at !== undefined && reasons.length < 4;) {
      reasons.push(at instanceof Error ? at.message : String(at));
      at = at instanceof Error ? at.cause : undefined;
    }
    console.error(`bench failed: ${reasons.join(': ')}`);
    if (error instanceof Error && error.stack) console.error(error.stack);
    process.exit(1);
  },
);
