/**
 * 3. Likes under load: a seeded database (users, posts, likes through the Store), several HTTP
 * clients sustaining a like rate, the authors' sockets timing each like's notification.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '../../test/fixtures/server.js';
import { ClientPool } from '../clientPool.js';
import { scrapeMetrics } from '../http.js';
import { likeKey } from '../likeKey.js';
import type { LikeOrder } from '../protocol.js';
import { seed, type SeedPlan } from '../seed.js';
import { describe, summarize, type Summary } from '../stats.js';
import { itemAt } from '../itemAt.js';

export interface LikesResult {
  plan: SeedPlan;
  durability: 'power' | 'kill9';
  seedMs: number;
  dataBytes: number;
  perSecond: number;
  seconds: number;
  latency: Summary;
  missing: number;
  failed: number;
  eventLoopP99Ms: number | undefined;
  eventLoopMaxMs: number | undefined;
}

const LAG = 'nodejs_eventloop_lag';

/** A fixed-seed generator, so every run likes the same pairs. */
function random(seedValue: number): () => number {
  let state = seedValue;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

export async function likesUnderLoad(
  plan: SeedPlan,
  perSecond: number,
  seconds: number,
  likerProcesses: number,
  durability: 'power' | 'kill9' = 'power',
): Promise<LikesResult> {
  const seeded = await seed(plan);
  const dataBytes = await dataSize(seeded.dataDir);
  const server = await startServer({
    dataDir: seeded.dataDir,
    args: ['--durability', durability],
  });
  const authors = new ClientPool(1);
  const likers = new ClientPool(likerProcesses);
  try {
    const connected = await authors.connect(server.url, seeded.authors, false, 60_000);
    if (connected.ok !== seeded.authors.length) throw new Error('the authors could not connect');
    const authorOf = new Map(seeded.posts.map((post) => [post.id, post.authorId]));
    const readers = seeded.users.slice(plan.authors);
    const next = random(42);
    const orders: LikeOrder[] = [];
    const taken = new Set(seeded.likes);
    while (orders.length < perSecond * seconds) {
      const post = itemAt(seeded.posts, Math.floor(next() * seeded.posts.length));
      const user = itemAt(readers, Math.floor(next() * readers.length));
      const key = likeKey(post.id, user.id);
      if (taken.has(key) || authorOf.get(post.id) === user.id) continue;
      taken.add(key);
      orders.push({ postId: post.id, userId: user.id, token: user.token });
    }
    await scrapeMetrics(server.url, []); // resets the lag histogram
    const { sent, failed } = await likers.like(
      server.url,
      orders,
      perSecond,
      (seconds + 60) * 1000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const [eventLoopP99, eventLoopMax] = await scrapeMetrics(server.url, [
      `${LAG}_p99_seconds`,
      `${LAG}_max_seconds`,
    ]);
    const { likeReceipts } = await authors.collect();
    const latencies: number[] = [];
    let missing = 0;
    for (const [key, at] of sent) {
      const received = likeReceipts.get(key);
      if (received === undefined) missing += 1;
      else latencies.push(received - at);
    }
    const result: LikesResult = {
      plan,
      durability,
      seedMs: seeded.seedMs,
      dataBytes,
      perSecond,
      seconds,
      latency: summarize(latencies),
      missing,
      failed: failed.length,
      eventLoopP99Ms: eventLoopP99 === undefined ? undefined : eventLoopP99 * 1000,
      eventLoopMaxMs: eventLoopMax === undefined ? undefined : eventLoopMax * 1000,
    };
    const mode =
      durability === 'power' ? 'durable on power loss (fdatasync per commit)' : 'kill -9 safe only';
    console.log(
      `  [${mode}] likes at ${perSecond}/s for ${seconds} s over ${plan.users} users, ${plan.posts} posts, ` +
        `${plan.posts * plan.likesPerPost} likes (${(dataBytes / 1e6).toFixed(1)} MB): like → author ${describe(result.latency)}; ` +
        `event loop p99 ${result.eventLoopP99Ms?.toFixed(1)} ms, max ${result.eventLoopMaxMs?.toFixed(1)} ms; ` +
        `${missing} not received, ${failed.length} failed` +
        (failed.length ? ` (${failed.slice(0, 3).join('; ')})` : ''),
    );
    return result;
  } finally {
    await Promise.all([authors.close(), likers.close()]);
    await server.stop();
    await rm(seeded.dataDir, { recursive: true, force: true });
  }
}

/** What the store keeps on disk: every data file, not the backup or the lock. */
export async function dataSize(dataDir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dataDir)) {
    if (name.endsWith('.bak') || name.endsWith('.pid')) continue;
    total += (await stat(join(dataDir, name))).size;
  }
  return total;
}
