/**
 * Seeds a data directory through the Store (not HTTP): users with device tokens, subscriptions,
 * posts and likes, at the DESIGN's scale, in seconds. The server is then started on that
 * directory. Tokens are made the way the server makes them, so clients sign in for real.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken, newToken } from '../server/domain/tokens.js';
import { createLowdbStore } from '../server/store/lowdb/index.js';
import type { PostRecord, Store, UserRecord } from '../server/store/store.js';
import { likeKey } from './likeKey.js';
import { itemAt } from './itemAt.js';

/** The length of a real scrypt hash, so the file has its real size. Nobody signs in with it. */
const PASSWORD_HASH = `scrypt$${'s'.repeat(22)}$${'h'.repeat(86)}`;
/** Calls in flight at once while seeding: big enough for group commit, small enough for memory. */
const BATCH = 10_000;

export interface SeedPlan {
  users: number;
  /** The first `authors` users are authors (and never subscribed). */
  authors: number;
  /** Whether the other users subscribe. */
  subscribe: boolean;
  posts: number;
  likesPerPost: number;
}

/** The likes scenario's data; the store-only probes measure the same data as the scenario. */
export function likesDataPlan(quick: boolean): SeedPlan {
  return quick
    ? { users: 1_000, authors: 10, subscribe: false, posts: 100, likesPerPost: 100 }
    : { users: 10_000, authors: 10, subscribe: false, posts: 1_000, likesPerPost: 100 };
}

/**
 * Runs `use` on `given` (left as it is, so one copy can be measured before and after a change) or
 * on a directory seeded from `plan` and removed afterwards.
 */
export async function withSeededData(
  plan: SeedPlan,
  given: string | undefined,
  use: (dataDir: string) => Promise<void>,
): Promise<void> {
  if (given !== undefined) return use(given);
  console.log(
    `seeding ${plan.users} users, ${plan.posts} posts, ${plan.posts * plan.likesPerPost} likes…`,
  );
  const { dataDir } = await seed(plan);
  try {
    await use(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export interface SeededUser {
  id: string;
  token: string;
  /** The username (the likes' floor names the liker with it, as Tidings does). */
  name: string;
}

export interface Seeded {
  dataDir: string;
  users: SeededUser[];
  authors: SeededUser[];
  posts: PostRecord[];
  /** `${postId} ${userId}` of every like seeded, so load can pick fresh ones. */
  likes: Set<string>;
  seedMs: number;
}

async function inBatches<T>(count: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const size = Math.min(BATCH, count - start);
    out.push(...(await Promise.all(Array.from({ length: size }, (_, j) => make(start + j)))));
  }
  return out;
}

export async function seed(plan: SeedPlan): Promise<Seeded> {
  const started = performance.now();
  const dataDir = await mkdtemp(join(tmpdir(), 'tidings-bench-'));
  const store = createLowdbStore({ dataDir });
  await store.open();
  try {
    const records = await inBatches(plan.users, (i) =>
      store.createUser({
        username: `user${i}`,
        passwordHash: PASSWORD_HASH,
        isAdmin: false,
        isAuthor: i < plan.authors,
      }),
    );
    const users = await inBatches(records.length, (i) => withToken(store, itemAt(records, i)));
    if (plan.subscribe) {
      await inBatches(records.length - plan.authors, (i) =>
        store.subscribe(itemAt(records, plan.authors + i).id),
      );
    }
    const authors = users.slice(0, plan.authors);
    const posts = (
      await inBatches(plan.posts, (i) =>
        store.publishPost({
          authorId: itemAt(authors, i % authors.length).id,
          title: `A post about things, number ${i}`,
          body: 'b'.repeat(1000),
        }),
      )
    ).map(({ post }) => post);
    const likes = new Set<string>();
    const readers = users.length - plan.authors;
    await inBatches(plan.posts * plan.likesPerPost, (i) => {
      const post = itemAt(posts, Math.floor(i / plan.likesPerPost));
      const liker = itemAt(users, plan.authors + ((i * 7) % readers));
      likes.add(likeKey(post.id, liker.id));
      return store.addLike(post.id, liker.id);
    });
    return { dataDir, users, authors, posts, likes, seedMs: performance.now() - started };
  } finally {
    await store.close();
  }
}

async function withToken(store: Store, user: UserRecord): Promise<SeededUser> {
  const token = newToken();
  await store.createToken({ userId: user.id, tokenHash: hashToken(token), device: 'bench' });
  return { id: user.id, token, name: user.username };
}
