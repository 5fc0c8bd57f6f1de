/**
 * Resident memory of one server node at the likes scenario's data (10,000 users, 1,000 posts,
 * 100,000 likes; --quick: a tenth), lowdb beside PostgreSQL: the blog is seeded into lowdb, copied
 * with `migrate-to-postgres` (timed), and each node then serves the same reads and likes before
 * its VmRSS is read. A PostgreSQL node holds no data, so it should stay under 200 MB.
 *
 *   node scripts/build.mjs && node --import tsx bench/postgresMemory.ts [--quick]
 */
import { rm } from 'node:fs/promises';
import { API } from '../contract/wire.js';
import { startPostgres } from '../test/fixtures/postgres.js';
import { runCli, startServer, type RunningServer } from '../test/fixtures/server.js';
import { itemAt } from './itemAt.js';
import { seed, type Seeded } from './seed.js';
import { residentBytes } from './stats.js';

const quick = process.argv.includes('--quick');
const plan = quick
  ? { users: 1_000, authors: 10, subscribe: true, posts: 100, likesPerPost: 100 }
  : { users: 10_000, authors: 10, subscribe: true, posts: 1_000, likesPerPost: 100 };
/** Readers whose inbox, unread count and a like each node serves before it is measured. */
const READERS = 200;

async function exercise(server: RunningServer, seeded: Seeded): Promise<void> {
  const readers = seeded.users.slice(plan.authors, plan.authors + READERS);
  for (const [i, reader] of readers.entries()) {
    const headers = { authorization: `Bearer ${reader.token}` };
    const get = (path: string) =>
      fetch(new URL(path, server.url), { headers }).then((response) => response.arrayBuffer());
    await get(API.notifications);
    await get(API.unreadCount);
    const post = itemAt(seeded.posts, (i * 13) % seeded.posts.length);
    await fetch(new URL(API.like(post.id), server.url), { method: 'POST', headers });
  }
}

async function measure(what: string, server: RunningServer, seeded: Seeded): Promise<number> {
  try {
    await exercise(server, seeded);
    const pid = server.child.pid;
    if (pid === undefined) throw new Error('the server has no pid');
    const bytes = await residentBytes(pid);
    console.log(`  ${what}: ${(bytes / 1e6).toFixed(0)} MB resident`);
    return bytes;
  } finally {
    await server.stop();
  }
}

const postgres = await startPostgres();
let seeded: Seeded | undefined;
try {
  console.log(
    `seeding ${plan.users} users, ${plan.posts} posts, ${plan.posts * plan.likesPerPost} likes…`,
  );
  seeded = await seed(plan);
  const databaseUrl = await postgres.createDatabase();
  const started = performance.now();
  const copied = await runCli([
    'migrate-to-postgres',
    '--data-dir',
    seeded.dataDir,
    '--database-url',
    databaseUrl,
  ]);
  if (copied.code !== 0) throw new Error(`migrate-to-postgres failed: ${copied.stderr}`);
  console.log(`  migrate-to-postgres: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  ${copied.stdout.trim()}`);
  const env = { TIDINGS_PASSWORD_COST: '10' };
  await measure('lowdb node', await startServer({ dataDir: seeded.dataDir, env }), seeded);
  await measure(
    'PostgreSQL node',
    await startServer({ args: ['--database-url', databaseUrl], env }),
    seeded,
  );
} finally {
  await postgres.cleanup();
  if (seeded) await rm(seeded.dataDir, { recursive: true, force: true });
}
