/**
 * The story of a popular blog: 1,000 subscribers, 50 posts. A post is ONE stored event, so the
 * data file grows with posts, not with posts × subscribers, and every subscriber still sees all 50.
 */
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DATA_FILE_NAME, JOURNAL_FILE_NAME } from '../../server/store/lowdb/index.js';
import { publish, signUp, subscribe, unreadCount, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';

const SUBSCRIBERS = 1_000;
const POSTS = 50;
const PARALLEL = 25;
/** A copy per subscriber would cost at least ~40 bytes × 1,000 per post; one event costs < 1 KB. */
const MAX_BYTES_PER_POST = 2_000;

async function inBatches<T>(count: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += PARALLEL) {
    const batch = Array.from({ length: Math.min(PARALLEL, count - start) }, (_, i) =>
      work(start + i),
    );
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

describe('storage does not scale with posts × subscribers', () => {
  let server: RunningServer;
  let readers: TestUser[];
  let author: TestUser;

  before(async () => {
    // A cheap password hash: this story is about storage, and it signs up 1,000 people.
    server = await startServer({ env: { TIDINGS_PASSWORD_COST: '10' } });
    author = await signUp(server.url, 'author');
    readers = await inBatches(SUBSCRIBERS, async (i) => {
      const reader = await signUp(server.url, `reader${i}`);
      await subscribe(server.url, reader.token);
      return reader;
    });
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it('50 posts to 1,000 subscribers add about one small event each to the data file', async (t) => {
    // What is on disk: the snapshot plus the journal of changes since it.
    const onDisk = async (): Promise<number> => {
      let bytes = 0;
      for (const name of [DATA_FILE_NAME, JOURNAL_FILE_NAME]) {
        bytes += await stat(join(server.dataDir, name)).then(
          (s) => s.size,
          () => 0,
        );
      }
      return bytes;
    };
    const before = await onDisk();
    for (let i = 1; i <= POSTS; i++) await publish(server.url, author.token, `Post ${i}`, 'Short.');
    const afterPosts = await onDisk();
    const perPost = (afterPosts - before) / POSTS;
    t.diagnostic(
      `data file: ${before} bytes with ${SUBSCRIBERS} subscribers, ${afterPosts} after ${POSTS} posts ` +
        `(${perPost.toFixed(0)} bytes per post)`,
    );
    assert.ok(perPost < MAX_BYTES_PER_POST, `${perPost} bytes per post`);

    const sample = [readers[0], readers[SUBSCRIBERS / 2], readers[SUBSCRIBERS - 1]];
    for (const reader of sample) {
      assert.ok(reader);
      assert.equal(
        await unreadCount(server.url, reader.token),
        POSTS,
        'every subscriber sees every post',
      );
    }
  });
});
