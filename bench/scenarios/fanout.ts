/**
 * 1. Fan-out and 2. connections: N subscribers connect (memory and time measured on the way),
 * then an author publishes, one post at a time, and every socket reports when it got the post.
 */
import { rm } from 'node:fs/promises';
import { startServer } from '../../test/fixtures/server.js';
import { ClientPool, waitFor } from '../clientPool.js';
import { publishStamped } from '../http.js';
import { seed } from '../seed.js';
import { cpuTimeMs, describe, residentBytes, summarize, type Summary } from '../stats.js';
import { itemAt } from '../itemAt.js';

const QUIET_MS = 300;

export interface FanoutResult {
  subscribers: number;
  connectMs: number;
  bytesPerConnection: number;
  fanout: Summary;
  /** The author's POST, request to response (stored durably, broadcast sent). */
  publish: Summary;
  /** Server CPU time per post: unlike latency, not inflated by other processes on the box. */
  serverCpuMsPerPost: number;
  lost: number;
}

export async function fanout(
  subscribers: number,
  posts: number,
  clients: number,
): Promise<FanoutResult> {
  const seeded = await seed({
    users: subscribers + 1,
    authors: 1,
    subscribe: true,
    posts: 0,
    likesPerPost: 0,
  });
  const server = await startServer({ dataDir: seeded.dataDir });
  const pool = new ClientPool(clients);
  try {
    const pid = server.child.pid as number;
    // Let the server settle after start so the baseline is not a moment of start-up garbage.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = await residentBytes(pid);
    const connected = await pool.connect(server.url, seeded.users.slice(1), false, 300_000);
    if (connected.ok !== subscribers) {
      throw new Error(
        `only ${connected.ok} of ${subscribers} sockets connected: ${connected.failed.join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await residentBytes(pid);
    const author = itemAt(seeded.authors, 0);
    let lost = 0;
    const publishMs: number[] = [];
    let serverCpuMs = 0;
    // Post 0 warms up the server's and the clients' code paths (JIT, first-use allocations) and
    // is not counted; every later post is.
    for (let k = 0; k <= posts; k++) {
      // A blog's posts are minutes apart: each one goes out into a quiet server and quiet clients
      // (the previous post's unread counts delivered), as in production.
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      const cpuBefore = await cpuTimeMs(pid);
      const sent = performance.now();
      await publishStamped(server.url, author.token);
      if (k > 0) publishMs.push(performance.now() - sent);
      const all = await waitFor(async () => (await pool.status()).fewestPosts >= k + 1, 30_000);
      if (!all) lost += 1;
      // Everything the server did for this post (store, broadcast, unread counts) is done by
      // the end of the quiet gap; measured there, so it covers the whole post.
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      if (k > 0) serverCpuMs += (await cpuTimeMs(pid)) - cpuBefore;
      if (k === 0) await pool.collect();
    }
    const { fanoutMs } = await pool.collect();
    const result = {
      subscribers,
      connectMs: connected.ms,
      bytesPerConnection: (after - before) / subscribers,
      fanout: summarize(fanoutMs),
      publish: summarize(publishMs),
      serverCpuMsPerPost: serverCpuMs / posts,
      lost,
    };
    console.log(
      `  fan-out to ${subscribers}: ${describe(result.fanout)}; the POST itself p50 ${result.publish.p50.toFixed(1)} ms; server CPU ${result.serverCpuMsPerPost.toFixed(0)} ms per post; connect all ${(result.connectMs / 1000).toFixed(1)} s, ` +
        `server RSS +${(result.bytesPerConnection / 1024).toFixed(1)} KB per connection` +
        (lost ? `; ${lost} posts did not reach every socket within 30 s` : ''),
    );
    return result;
  } finally {
    await pool.close();
    await server.stop();
    await rm(seeded.dataDir, { recursive: true, force: true });
  }
}
