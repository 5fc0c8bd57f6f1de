/**
 * 5. Storage growth: the data file after 100 posts to N subscribers plus M likes, and the time
 * one more write takes, against a naive one-row-per-recipient table written the same way
 * (JSON, whole file) from the same data.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLowdbStore } from '../../server/store/lowdb/index.js';
import { likeKey } from '../likeKey.js';
import { summarize } from '../stats.js';
import { seed, type SeedPlan } from '../seed.js';
import { dataSize } from './likes.js';
import { itemAt } from '../itemAt.js';

export interface StorageResult {
  plan: SeedPlan;
  tidingsBytes: number;
  /** One more like, made durable, over that data (median of 20). */
  tidingsWriteMs: number;
  naiveRows: number;
  naiveBytes: number;
  naiveWriteMs: number;
}

export async function storageGrowth(plan: SeedPlan): Promise<StorageResult> {
  const seeded = await seed(plan);
  const naiveDir = await mkdtemp(join(tmpdir(), 'tidings-naive-'));
  try {
    const tidingsBytes = await dataSize(seeded.dataDir);
    const subscribers = seeded.users.slice(plan.authors);
    const store = createLowdbStore({ dataDir: seeded.dataDir });
    await store.open();
    const post = itemAt(seeded.posts, 0);
    // Twenty more likes, one at a time, each timed until durable; the median is reported.
    const fresh = subscribers
      .filter((user) => !seeded.likes.has(likeKey(post.id, user.id)))
      .slice(0, 20);
    if (fresh.length < 20) throw new Error('too few subscribers who do not like the first post');
    const times: number[] = [];
    for (const user of fresh) {
      const started = performance.now();
      const like = await store.addLike(post.id, user.id);
      times.push(performance.now() - started);
      if (!like.created) throw new Error('a timed like changed nothing');
    }
    const tidingsWriteMs = summarize(times).p50;
    await store.close();

    // The naive design: a notification row per subscriber per post, and one per like.
    const createdAt = new Date(0).toISOString();
    const rows: string[] = [];
    for (const post of seeded.posts) {
      for (const user of subscribers) {
        rows.push(
          JSON.stringify({
            id: post.id + user.id.slice(0, 4),
            userId: user.id,
            type: 'new_post',
            postId: post.id,
            actorId: post.authorId,
            read: false,
            createdAt,
          }),
        );
      }
    }
    for (const key of seeded.likes) {
      const [postId, userId] = key.split(' ');
      const authorId = seeded.posts.find((post) => post.id === postId)?.authorId;
      rows.push(
        JSON.stringify({
          id: `${postId}${userId}`.slice(0, 16),
          userId: authorId,
          type: 'post_liked',
          postId,
          actorId: userId,
          read: false,
          createdAt,
        }),
      );
    }
    const writeStarted = performance.now();
    const text = `{"notifications":[${rows.join(',')}]}`;
    await writeFile(join(naiveDir, 'naive.json'), text);
    const naiveWriteMs = performance.now() - writeStarted;
    const result = {
      plan,
      tidingsBytes,
      tidingsWriteMs,
      naiveRows: rows.length,
      naiveBytes: Buffer.byteLength(text),
      naiveWriteMs,
    };
    console.log(
      `  storage, ${plan.posts} posts to ${subscribers.length} subscribers + ${seeded.likes.size} likes: ` +
        `Tidings ${(tidingsBytes / 1e6).toFixed(1)} MB, one more like durable in ${tidingsWriteMs.toFixed(1)} ms (median of 20); ` +
        `naive ${result.naiveRows} rows ${(result.naiveBytes / 1e6).toFixed(1)} MB, one whole-file write ${naiveWriteMs.toFixed(0)} ms`,
    );
    return result;
  } finally {
    await rm(seeded.dataDir, { recursive: true, force: true });
    await rm(naiveDir, { recursive: true, force: true });
  }
}
