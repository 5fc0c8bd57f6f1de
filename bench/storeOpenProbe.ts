/**
 * The embedded store alone at the likes scenario's data (10,000 users, 1,000 posts, 100,000 likes;
 * --quick: a tenth), opened three times (bench/storeOpen.ts). The data is seeded through the Store,
 * or taken from `--data-dir` (left as it is, so one copy can be measured before and after a change).
 *
 *   node scripts/build.mjs && node --import tsx bench/storeOpenProbe.ts [--quick] [--data-dir DIR]
 */
import { likesDataPlan, withSeededData } from './seed.js';
import { describeStoreOpen, measureStoreOpen } from './storeOpen.js';

const dirAt = process.argv.indexOf('--data-dir');
const given = dirAt === -1 ? undefined : process.argv[dirAt + 1];

await withSeededData(likesDataPlan(process.argv.includes('--quick')), given, async (dataDir) => {
  for (let run = 1; run <= 3; run++) {
    console.log(`  run ${run}: ${describeStoreOpen(await measureStoreOpen(dataDir))}`);
  }
});
