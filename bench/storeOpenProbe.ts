/**
 * The embedded store alone at the likes scenario's data (10,000 users, 1,000 posts, 100,000 likes;
 * --quick: a tenth), opened three times (bench/storeOpen.ts). The data is seeded through the Store,
 * or taken from `--data-dir` (left as it is, so one copy can be measured before and after a change).
 *
 *   node scripts/build.mjs && node --import tsx bench/storeOpenProbe.ts [--quick] [--data-dir DIR]
 */
import { rm } from 'node:fs/promises';
import { seed } from './seed.js';
import { describeStoreOpen, measureStoreOpen } from './storeOpen.js';

const quick = process.argv.includes('--quick');
const dirAt = process.argv.indexOf('--data-dir');
const given = dirAt === -1 ? undefined : process.argv[dirAt + 1];
const plan = quick
  ? { users: 1_000, authors: 10, subscribe: true, posts: 100, likesPerPost: 100 }
  : { users: 10_000, authors: 10, subscribe: true, posts: 1_000, likesPerPost: 100 };

let dataDir = given;
try {
  if (dataDir === undefined) {
    console.log(
      `seeding ${plan.users} users, ${plan.posts} posts, ${plan.posts * plan.likesPerPost} likes…`,
    );
    dataDir = (await seed(plan)).dataDir;
  }
  for (let run = 1; run <= 3; run++) {
    console.log(`  run ${run}: ${describeStoreOpen(await measureStoreOpen(dataDir))}`);
  }
} finally {
  if (given === undefined && dataDir !== undefined) {
    await rm(dataDir, { recursive: true, force: true });
  }
}
