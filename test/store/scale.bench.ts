/**
 * Measures the lowdb driver at the DESIGN's scale. Not a test (no pass/fail, and the runner skips
 * it: the name does not end in .test.ts). Run: `node --import tsx test/store/scale.bench.ts`.
 * docs/STORAGE.md quotes its figures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLowdbStore } from '../../server/store/lowdb/index.js';
import type { PostRecord, Store, UserRecord } from '../../server/store/store.js';

const PASSWORD_HASH = `scrypt$${'s'.repeat(22)}$${'h'.repeat(86)}`; // the size of a real one

function percentile(samples: number[], p: number): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN).toFixed(1);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

function pick<T>(list: T[], index: number): T {
  const item = list[index % list.length];
  if (item === undefined) throw new Error('empty list');
  return item;
}

async function withStore(run: (store: Store, dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tidings-bench-'));
  const store = createLowdbStore({ dataDir });
  await store.open();
  try {
    await run(store, dataDir);
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function addUsers(store: Store, count: number, authors: number): Promise<UserRecord[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      store.createUser({
        username: `user${i}`,
        passwordHash: PASSWORD_HASH,
        isAdmin: false,
        isAuthor: i < authors,
      }),
    ),
  );
}

async function publishMany(store: Store, authors: UserRecord[], count: number) {
  const posts: PostRecord[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, (_, j) =>
      store.publishPost({
        authorId: pick(authors, i + j).id,
        title: `A post about things, number ${i + j}`,
        body: 'b'.repeat(1000),
      }),
    );
    posts.push(...(await Promise.all(batch)).map(({ post }) => post));
  }
  return posts;
}

/** Sends `total` calls at `perSecond`, without waiting for one before the next; durable latency. */
async function sustained(perSecond: number, total: number, call: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  const started = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    pending.push(call(i).then(() => latencies.push(performance.now() - sent)));
  }
  await Promise.all(pending);
  return `p50 ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms`;
}

console.log('# publish to 10,000 subscribers');
await withStore(async (store) => {
  const users = await addUsers(store, 10_000, 1);
  await Promise.all(users.map((user) => store.subscribe(user.id)));
  await publishMany(store, users.slice(0, 1), 100);
  const latencies: number[] = [];
  for (let i = 0; i < 50; i++) {
    const [, ms] = await timed(() =>
      store.publishPost({
        authorId: pick(users, 0).id,
        title: `Post ${i}`,
        body: 'b'.repeat(1000),
      }),
    );
    latencies.push(ms);
  }
  const [, countMs] = await timed(async () => {
    for (const user of users) await store.unreadCount(user.id);
  });
  const stats = store.stats();
  console.log(`file ${(stats.bytes / 1e6).toFixed(2)} MB, ${stats.events} events`);
  console.log(
    `publish, durable: p50 ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms`,
  );
  console.log(`unreadCount for all 10,000 subscribers: ${countMs.toFixed(1)} ms in all`);
});

console.log('\n# likes over 10,000 users, 1,000 posts, 100,000 likes');
await withStore(async (store, dataDir) => {
  const users = await addUsers(store, 10_000, 10);
  const posts = await publishMany(store, users.slice(0, 10), 1000);
  const likers = users.slice(10);
  for (let chunk = 0; chunk < 10; chunk++) {
    await Promise.all(
      Array.from({ length: 10_000 }, (_, k) => {
        const n = chunk * 10_000 + k;
        return store.addLike(pick(posts, n).id, pick(likers, n * 7919).id);
      }),
    );
  }
  const stats = store.stats();
  console.log(
    `file ${(stats.bytes / 1e6).toFixed(2)} MB, ${stats.likes} likes, ${stats.events} events`,
  );
  const single: number[] = [];
  for (let i = 0; i < 5; i++) {
    single.push(
      (await timed(() => store.addLike(pick(posts, i).id, pick(likers, 5000 + i).id)))[1],
    );
    console.log(
      `one like, durable: ${single.at(-1)?.toFixed(1)} ms (write ${store.stats().lastWriteMs.toFixed(1)} ms)`,
    );
  }
  console.log(
    `200 likes/s for 3 s, durable: ${await sustained(200, 600, (i) =>
      store.addLike(pick(posts, i * 13).id, pick(likers, 3 + i * 31).id),
    )}`,
  );
  const reopened = createLowdbStore({ dataDir });
  await store.close();
  const [, openMs] = await timed(() => reopened.open());
  console.log(
    `open: ${openMs.toFixed(0)} ms; rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
  );
  await reopened.close();
});
