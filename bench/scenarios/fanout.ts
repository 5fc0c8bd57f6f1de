/**
 * 1. Fan-out and 2. connections, beside the floor (issue 14). N subscribers' sockets, held by the
 * same client processes, connect first to a bare socket.io server (bench/bareServer.ts: same
 * socket.io, same options, one `io.to(room).emit` per post, nothing else), then to Tidings on the
 * seeded data. Each gets WARMUP_POSTS posts that are not counted (V8 optimises the broadcast
 * path only after about 10 broadcasts), then the measured posts, one at a time into a quiet
 * server. Every Tidings figure is printed in ms and as a ratio to the floor's.
 */
import { rm } from 'node:fs/promises';
import { startServer } from '../../test/fixtures/server.js';
import { ClientPool, waitFor } from '../clientPool.js';
import { publishStamped, scrapeMetrics } from '../http.js';
import type { ClientUser } from '../protocol.js';
import { startCluster } from '../cluster.js';
import { seed } from '../seed.js';
import { startBareServer } from '../startBareServer.js';
import {
  describe,
  ratio,
  residentBytes,
  summarize,
  threadsCpuTimeMs,
  type Summary,
} from '../stats.js';
import { itemAt } from '../itemAt.js';

const QUIET_MS = 300;
/** Issue 14: at least 15, for the floor and for Tidings alike. */
export const WARMUP_POSTS = 15;

export interface ServerFigures {
  connectMs: number;
  bytesPerConnection: number;
  fanout: Summary;
  /** The author's POST, request to response. */
  publish: Summary;
  /** Server CPU time per post: unlike latency, not inflated by other processes on the box. */
  serverCpuMsPerPost: number;
  /**
   * The median post's server CPU. The mean above is the figure of record; a major GC or a
   * background compilation lands in one post's window now and then, in the floor or in Tidings,
   * and moves a mean of 60 posts by about half a ms at 200. Median and mean side by side tell a
   * steady cost from such a spike.
   */
  serverCpuMsMedianPost: number;
  /**
   * Tidings: the store's publishPost, mean over the counted posts, in ms (from the node's
   * tidings_store_write_seconds): the durable commit a post waits for before it is pushed, which
   * the floor does not have.
   */
  postWriteMs?: number;
  lost: number;
}

export interface FanoutResult {
  subscribers: number;
  floor: ServerFigures;
  tidings: ServerFigures;
  /** PostgreSQL on two nodes: published on one, every subscriber on the other. */
  twoNodes: ServerFigures | undefined;
}

interface Target {
  /** Where the subscribers' sockets connect; its resident memory is the per-connection figure. */
  url: string;
  pid: number;
  /** Where the author publishes, when another node (the post crosses Redis). */
  publishUrl?: string;
  /** Every process whose CPU a post costs (all the nodes); `pid` alone when absent. */
  cpuPids?: number[];
  /** Tidings: the node whose store takes the post, for its write time (the floor has none). */
  metricsUrl?: string;
}

/** The store's publishPost so far on `url`: the sum of its times in s, and how many. */
async function postWrites(url: string): Promise<{ seconds: number; count: number }> {
  const metric = 'tidings_store_write_seconds';
  const label = '{operation="publishPost"}';
  const [seconds, count] = await scrapeMetrics(url, [
    `${metric}_sum${label}`,
    `${metric}_count${label}`,
  ]);
  return { seconds: seconds ?? 0, count: count ?? 0 };
}

async function cpuOf(target: Target): Promise<number> {
  let total = 0;
  for (const pid of target.cpuPids ?? [target.pid]) total += await threadsCpuTimeMs(pid);
  return total;
}

/** Connects every subscriber to `target`, publishes, measures; leaves the pool reset. */
async function measure(
  target: Target,
  pool: ClientPool,
  subscribers: ClientUser[],
  authorToken: string,
  posts: number,
): Promise<ServerFigures> {
  // Let the server settle after start so the baseline is not a moment of start-up garbage.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const before = await residentBytes(target.pid);
  const connected = await pool.connect(target.url, subscribers, false, 300_000);
  if (connected.ok !== subscribers.length) {
    throw new Error(
      `only ${connected.ok} of ${subscribers.length} sockets connected: ${connected.failed.join(', ')}`,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = await residentBytes(target.pid);
  let lost = 0;
  const publishMs: number[] = [];
  const postCpuMs: number[] = [];
  let writesAfterWarmUp: { seconds: number; count: number } | undefined;
  for (let k = 1; k <= WARMUP_POSTS + posts; k++) {
    const counted = k > WARMUP_POSTS;
    // A blog's posts are minutes apart: each one goes out into a quiet server and quiet clients,
    // as in production.
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    const cpuBefore = await cpuOf(target);
    const sent = performance.now();
    await publishStamped(target.publishUrl ?? target.url, authorToken);
    if (counted) publishMs.push(performance.now() - sent);
    const all = await waitFor(async () => (await pool.status()).fewestPosts >= k, 30_000);
    if (!all && counted) lost += 1;
    // Everything the server does for this post is done by the end of the quiet gap; measured
    // there, so it covers the whole post.
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    if (counted) postCpuMs.push((await cpuOf(target)) - cpuBefore);
    if (k === WARMUP_POSTS) {
      await pool.collect(); // drops the warm-up's samples
      if (target.metricsUrl) writesAfterWarmUp = await postWrites(target.metricsUrl);
    }
  }
  let postWriteMs: number | undefined;
  if (target.metricsUrl && writesAfterWarmUp) {
    const writes = await postWrites(target.metricsUrl);
    const counted = writes.count - writesAfterWarmUp.count;
    if (counted > 0) postWriteMs = ((writes.seconds - writesAfterWarmUp.seconds) / counted) * 1000;
  }
  const { fanoutMs } = await pool.collect();
  await pool.reset();
  return {
    connectMs: connected.ms,
    bytesPerConnection: (after - before) / subscribers.length,
    fanout: summarize(fanoutMs),
    publish: summarize(publishMs),
    serverCpuMsPerPost: postCpuMs.reduce((sum, ms) => sum + ms, 0) / posts,
    serverCpuMsMedianPost: summarize(postCpuMs).p50,
    ...(postWriteMs === undefined ? {} : { postWriteMs }),
    lost,
  };
}

/** The means' ratio, the figure of record, and the median posts' beside it. */
function cpuRatios(server: ServerFigures, floor: ServerFigures): string {
  return (
    `${ratio(server.serverCpuMsPerPost, floor.serverCpuMsPerPost)} ` +
    `(median posts ${ratio(server.serverCpuMsMedianPost, floor.serverCpuMsMedianPost)})`
  );
}

function report(label: string, n: number, figures: ServerFigures): void {
  console.log(
    `  ${label} fan-out to ${n}: ${describe(figures.fanout)}; the POST p50 ${figures.publish.p50.toFixed(1)} ms` +
      (figures.postWriteMs === undefined
        ? ''
        : `, of it the post's durable write (publishPost) ${figures.postWriteMs.toFixed(2)} ms on average`) +
      `; server CPU ${figures.serverCpuMsPerPost.toFixed(1)} ms per post (median post ${figures.serverCpuMsMedianPost.toFixed(1)} ms); connect all ${(figures.connectMs / 1000).toFixed(1)} s, ` +
      `server RSS +${(figures.bytesPerConnection / 1024).toFixed(1)} KB per connection` +
      (figures.lost ? `; ${figures.lost} posts did not reach every socket within 30 s` : ''),
  );
}

export async function fanout(
  subscribers: number,
  posts: number,
  clients: number,
  withTwoNodes = false,
): Promise<FanoutResult> {
  const seeded = await seed({
    users: subscribers + 1,
    authors: 1,
    subscribe: true,
    posts: 0,
    likesPerPost: 0,
  });
  const author = itemAt(seeded.authors, 0);
  const readers = seeded.users.slice(1);
  const pool = new ClientPool(clients);
  try {
    const bare = await startBareServer(seeded.users, seeded.dataDir);
    let floor: ServerFigures;
    try {
      floor = await measure(
        { url: bare.url, pid: bare.child.pid as number },
        pool,
        readers,
        author.token,
        posts,
      );
    } finally {
      await bare.stop();
    }
    report('floor (bare socket.io)', subscribers, floor);
    const server = await startServer({ dataDir: seeded.dataDir });
    let tidings: ServerFigures;
    try {
      tidings = await measure(
        { url: server.url, pid: server.child.pid as number, metricsUrl: server.url },
        pool,
        readers,
        author.token,
        posts,
      );
    } finally {
      await server.stop();
    }
    report('Tidings', subscribers, tidings);
    console.log(
      `  Tidings / floor at ${subscribers}: fan-out p50 ${ratio(tidings.fanout.p50, floor.fanout.p50)}, p99 ${ratio(tidings.fanout.p99, floor.fanout.p99)}; ` +
        `server CPU per post ${cpuRatios(tidings, floor)}; RSS per connection ${ratio(tidings.bytesPerConnection, floor.bytesPerConnection)}`,
    );
    let twoNodes: ServerFigures | undefined;
    if (withTwoNodes) {
      const cluster = await startCluster(seeded.dataDir, 2);
      try {
        const [publisher, holder] = [itemAt(cluster.nodes, 0), itemAt(cluster.nodes, 1)];
        twoNodes = await measure(
          {
            url: holder.url,
            pid: holder.child.pid as number,
            publishUrl: publisher.url,
            metricsUrl: publisher.url,
            cpuPids: cluster.nodes.map((node) => node.child.pid as number),
          },
          pool,
          readers,
          author.token,
          posts,
        );
      } finally {
        await cluster.stop();
      }
      report(
        'PostgreSQL, 2 nodes (post on one, sockets on the other; CPU of both)',
        subscribers,
        twoNodes,
      );
      console.log(
        `  2 nodes / floor at ${subscribers}: fan-out p50 ${ratio(twoNodes.fanout.p50, floor.fanout.p50)}, p99 ${ratio(twoNodes.fanout.p99, floor.fanout.p99)}; ` +
          `server CPU per post ${cpuRatios(twoNodes, floor)}`,
      );
    }
    return { subscribers, floor, tidings, twoNodes };
  } finally {
    await pool.close();
    await rm(seeded.dataDir, { recursive: true, force: true });
  }
}
