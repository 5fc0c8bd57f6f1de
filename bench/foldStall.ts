/**
 * The embedded store's journal fold at the likes scenario's data (10,000 users, 1,000 posts,
 * 100,000 likes; --quick: a tenth): the longest event-loop stall while a fold runs, the fold's
 * duration, and the time to open that data. The data is seeded through the Store (or taken from
 * `--data-dir`, copied, never changed), then a fresh `node` process runs the BUILT store (dist/,
 * or the one `--store` names, e.g. a build of an older commit for "before"): it opens the data,
 * likes 1,000 times (a journal to fold), starts the probes, and forces a fold with close() (which
 * folds the journal into one snapshot in every version of the store). Three runs.
 *
 * Two probes, both in the store's process: perf_hooks.monitorEventLoopDelay (1 ms resolution),
 * and a 1 ms interval timer whose longest gap between ticks, minus 1 ms, is the stall a request
 * arriving then would have waited; both also over 2 s with no fold just before, since on a busy
 * machine the OS alone delays a timer by tens of ms. Not a test; nothing is asserted.
 *
 *   node scripts/build.mjs && node --import tsx bench/foldStall.ts [--quick] [--data-dir DIR] [--store PATH]
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { likesDataPlan, withSeededData } from './seed.js';

const quick = process.argv.includes('--quick');
const option = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
};
const given = option('--data-dir');
const storePath = option('--store');

const FOLD_ONCE = `
import { monitorEventLoopDelay } from 'node:perf_hooks';
const { createLowdbStore } = await import(process.argv[1]);
const store = createLowdbStore({ dataDir: process.argv[2], onProblem: (m) => console.error(m) });
let started = performance.now();
await store.open();
const openMs = performance.now() - started;
await store.foldsIdle?.();
const posts = (await store.listPosts(0, 50)).items;
const likes = [];
for (let i = 0; i < 1000; i++) {
  const user = await store.findUserByUsername('user' + (20 + ((i * 7919) % 900)));
  const post = posts[i % posts.length];
  if (user && post) likes.push(store.addLike(post.id, user.id));
}
await Promise.all(likes);
// The garbage of opening and liking collected now, so a full GC of it does not land in a window.
globalThis.gc();
const histogram = monitorEventLoopDelay({ resolution: 1 });
let last = performance.now();
let longestGap = 0;
let rssMax = 0;
const probe = setInterval(() => {
  const now = performance.now();
  longestGap = Math.max(longestGap, now - last);
  last = now;
  rssMax = Math.max(rssMax, process.memoryUsage.rss());
}, 1);
await new Promise((resolve) => setTimeout(resolve, 200));
// The same probes with nothing running first: on a shared machine the OS alone delays timers.
histogram.enable();
longestGap = 0;
last = performance.now();
await new Promise((resolve) => setTimeout(resolve, 2000));
histogram.disable();
const idleGapMs = longestGap - 1;
const idleDelayMs = histogram.max / 1e6;
const idleRss = rssMax;
histogram.reset();
histogram.enable();
longestGap = 0;
rssMax = 0;
last = performance.now();
started = performance.now();
await store.close();
const foldMs = performance.now() - started;
histogram.disable();
clearInterval(probe);
console.log(JSON.stringify({
  openMs, foldMs, loopDelayMaxMs: histogram.max / 1e6, timerGapMaxMs: longestGap - 1,
  idleGapMs, idleDelayMs, idleRssMb: idleRss / 1e6, foldRssMb: rssMax / 1e6,
  workerFoldMs: store.foldStats?.().lastMs, bytes: store.stats().bytes,
}));
`;

await withSeededData(likesDataPlan(quick), given, async (dataDir) => {
  const storeModule = pathToFileURL(
    resolve(storePath ?? new URL('../dist/server/store/lowdb/index.js', import.meta.url).pathname),
  ).href;
  console.log(`store: ${storeModule}`);
  for (let run = 1; run <= 3; run++) {
    const copy = await mkdtemp(join(tmpdir(), 'tidings-fold-'));
    try {
      await cp(dataDir, copy, { recursive: true });
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', '--input-type=module', '-e', FOLD_ONCE, storeModule, copy],
        { encoding: 'utf8' },
      );
      const m = JSON.parse(out) as Record<string, number | undefined>;
      const ms = (value: number | undefined) => `${(value ?? 0).toFixed(1)} ms`;
      console.log(
        `  run ${run}: longest stall during the fold ${ms(m.timerGapMaxMs)} (timer gap), ` +
          `${ms(m.loopDelayMaxMs)} (monitorEventLoopDelay max); the same probes over 2 s ` +
          `with no fold: ${ms(m.idleGapMs)}, ${ms(m.idleDelayMs)}; fold ${ms(m.foldMs)}` +
          `${m.workerFoldMs === undefined ? '' : ` (worker ${ms(m.workerFoldMs)})`}; ` +
          `open ${ms(m.openMs)}; resident ${(m.idleRssMb ?? 0).toFixed(0)} MB before the fold, ` +
          `at most ${(m.foldRssMb ?? 0).toFixed(0)} MB during it; ` +
          `${((m.bytes ?? 0) / 1e6).toFixed(1)} MB of files after`,
      );
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  }
});
