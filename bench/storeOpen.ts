/**
 * The embedded store alone at the likes scenario's data (10,000 users, 1,000 posts, 100,000 likes;
 * --quick: a tenth): how long opening it takes and how much memory it then holds. The data is
 * seeded through the Store (or taken from `--data-dir`, left as it is), then opened in a fresh
 * `node` process that runs the built store (dist/), with no server around it, three times.
 *
 *   node scripts/build.mjs && node --import tsx bench/storeOpen.ts [--quick] [--data-dir DIR]
 */
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { seed } from './seed.js';

const quick = process.argv.includes('--quick');
const dirAt = process.argv.indexOf('--data-dir');
const given = dirAt === -1 ? undefined : process.argv[dirAt + 1];
const plan = quick
  ? { users: 1_000, authors: 10, subscribe: true, posts: 100, likesPerPost: 100 }
  : { users: 10_000, authors: 10, subscribe: true, posts: 1_000, likesPerPost: 100 };

const OPEN_ONCE = `
const { createLowdbStore } = await import(process.argv[1]);
const store = createLowdbStore({ dataDir: process.argv[2] });
const started = performance.now();
await store.open();
const openMs = performance.now() - started;
globalThis.gc();
const { rss, heapUsed } = process.memoryUsage();
const { events, likes, bytes } = store.stats();
await store.close();
console.log(JSON.stringify({ openMs, rss, heapUsed, events, likes, bytes }));
`;

let dataDir = given;
try {
  if (dataDir === undefined) {
    console.log(
      `seeding ${plan.users} users, ${plan.posts} posts, ${plan.posts * plan.likesPerPost} likes…`,
    );
    dataDir = (await seed(plan)).dataDir;
  }
  const storeModule = new URL('../dist/server/store/lowdb/index.js', import.meta.url).href;
  for (let run = 1; run <= 3; run++) {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', '--input-type=module', '-e', OPEN_ONCE, storeModule, dataDir],
      { encoding: 'utf8' },
    );
    const m = JSON.parse(out) as Record<string, number>;
    const mb = (bytes: number | undefined) => `${((bytes ?? 0) / 1e6).toFixed(0)} MB`;
    console.log(
      `  run ${run}: open ${(m.openMs ?? 0).toFixed(0)} ms; after gc rss ${mb(m.rss)}, heap ${mb(m.heapUsed)} ` +
        `(${m.events} events, ${m.likes} likes, ${mb(m.bytes)} of files)`,
    );
  }
} finally {
  if (given === undefined && dataDir !== undefined)
    await rm(dataDir, { recursive: true, force: true });
}
