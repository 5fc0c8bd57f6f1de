/**
 * What each like leaves in the old space, at the likes scenario's data (or the quick data): the
 * real server (as built, dist/) on seeded data, the likes sent one after the other (one in flight,
 * so the requests in flight do not hide what a like leaves behind), V8 printing every collection
 * (`--trace-gc-nvp`). Prints, per like, what the scavenges promoted and what reached the old space
 * in all (promoted, and allocated there directly: test/fixtures/gcTrace.ts), the full collections
 * during the likes, and the heap used after a full collection before and after (what the likes
 * left alive).
 *
 *   node scripts/build.mjs
 *   node --import tsx bench/likeGarbage.ts [--quick] [--likes=3000] [--no-authors] [--node-flag=--heap-growing-percent=30]
 *
 * LIKE_GARBAGE_ENTRY runs another entry instead of bench/gcServerEntry.mjs (another build's, or
 * one printing more); LIKE_GARBAGE_TRACE names a file for V8's output during the likes.
 */
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { API } from '../contract/wire.js';
import { signalAndWait, spawnListening } from '../test/fixtures/childProcess.js';
import { collections, gcTotals, oldSpaceGrowthPer } from '../test/fixtures/gcTrace.js';
import { ClientPool } from './clientPool.js';
import { itemAt } from './itemAt.js';
import { likeKey } from './likeKey.js';
import { likesDataPlan, seed } from './seed.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const likes = Number(args.find((arg) => arg.startsWith('--likes='))?.slice(8) ?? 3_000);
const warmUp = 500;
const nodeFlags = args.filter((arg) => arg.startsWith('--node-flag=')).map((arg) => arg.slice(12));
const withAuthors = !args.includes('--no-authors');
const ENTRY =
  process.env.LIKE_GARBAGE_ENTRY ?? fileURLToPath(new URL('./gcServerEntry.mjs', import.meta.url));

const plan = likesDataPlan(quick);
const seeded = await seed(plan);
const server = await spawnListening(
  'server',
  process.execPath,
  [
    '--trace-gc-nvp',
    ...nodeFlags,
    ENTRY,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--data-dir',
    seeded.dataDir,
    '--durability',
    'power',
  ],
  { env: { ...process.env, TIDINGS_RATE_LIMITS: 'off' }, timeoutMs: 60_000 },
);
const authors = new ClientPool(1);
try {
  if (withAuthors) await authors.connect(server.url, seeded.authors, false, 60_000);
  const readers = seeded.users.slice(plan.authors);
  const authorOf = new Map(seeded.posts.map((post) => [post.id, post.authorId]));
  const taken = new Set(seeded.likes);
  let state = 42;
  const next = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const like = async (): Promise<void> => {
    for (;;) {
      const post = itemAt(seeded.posts, Math.floor(next() * seeded.posts.length));
      const user = itemAt(readers, Math.floor(next() * readers.length));
      const key = likeKey(post.id, user.id);
      if (taken.has(key) || authorOf.get(post.id) === user.id) continue;
      taken.add(key);
      const response = await fetch(new URL(API.like(post.id), server.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}` },
      });
      if (response.status !== 200) throw new Error(`like: ${response.status}`);
      await response.arrayBuffer();
      return;
    }
  };
  const heapAfterGc = async (): Promise<number> => {
    const from = server.output().length;
    server.child.kill('SIGUSR2');
    for (;;) {
      const match = /memory after gc: rss (\d+) heapUsed (\d+)/.exec(server.output().slice(from));
      if (match) return Number(match[2]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  for (let i = 0; i < warmUp; i++) await like();
  const heapBefore = await heapAfterGc();
  const from = server.output().length;
  const started = performance.now();
  for (let i = 0; i < likes; i++) await like();
  const ms = performance.now() - started;
  const window = server.output().slice(from);
  const seen = collections(window);
  const { scavenges, promotedBytes: promoted, full } = gcTotals(seen);
  const reached = oldSpaceGrowthPer(seen, likes) ?? Number.NaN;
  const heapAfter = await heapAfterGc();
  console.log(
    `${quick ? 'quick' : 'bench'} data, ${likes} likes one at a time in ${(ms / 1000).toFixed(1)} s` +
      ` (flags ${nodeFlags.join(' ') || 'none'}, authors ${withAuthors ? 'connected' : 'not connected'}):` +
      ` promoted ${(promoted / likes / 1024).toFixed(2)} KB a like over ${scavenges} scavenges, ${full} full;` +
      ` reached the old space ${(reached / 1024).toFixed(2)} KB a like;` +
      ` live heap after a full GC ${(heapBefore / 1e6).toFixed(1)} → ${(heapAfter / 1e6).toFixed(1)} MB` +
      ` (${((heapAfter - heapBefore) / likes / 1024).toFixed(2)} KB a like)`,
  );
  if (process.env.LIKE_GARBAGE_TRACE) await writeFile(process.env.LIKE_GARBAGE_TRACE, window);
} finally {
  await authors.close();
  await signalAndWait(server.child, 'SIGTERM');
  await rm(seeded.dataDir, { recursive: true, force: true });
}
