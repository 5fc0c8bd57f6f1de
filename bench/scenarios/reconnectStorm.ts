/**
 * 4. Reconnect storm: N subscribers connected with socket.io-client's jittered backoff, the
 * server restarted on the same port and data, posts published before and right after. Done when
 * every socket is back and has every post exactly once.
 */
import { rm } from 'node:fs/promises';
import { startServer } from '../../test/fixtures/server.js';
import { ClientPool, waitFor } from '../clientPool.js';
import { publishStamped } from '../http.js';
import { seed } from '../seed.js';
import { itemAt } from '../itemAt.js';

export interface StormResult {
  clients: number;
  /** From the stop signal until every socket is back and caught up. */
  backMs: number;
  allBack: boolean;
  duplicates: number;
  /** Handshakes refused with a retry-after by the server's admission control. */
  busyRefusals: number;
  fewestPosts: number;
  posts: number;
}

const BEFORE = 3;
const AFTER = 3;

export async function reconnectStorm(
  clients: number,
  processes: number,
  timeoutMs: number,
): Promise<StormResult> {
  const seeded = await seed({
    users: clients + 1,
    authors: 1,
    subscribe: true,
    posts: 0,
    likesPerPost: 0,
  });
  let server = await startServer({ dataDir: seeded.dataDir });
  const pool = new ClientPool(processes);
  try {
    const connected = await pool.connect(server.url, seeded.users.slice(1), true, 300_000);
    if (connected.ok !== clients) throw new Error(`only ${connected.ok} of ${clients} connected`);
    const token = itemAt(seeded.authors, 0).token;
    for (let k = 1; k <= BEFORE; k++) {
      await publishStamped(server.url, token);
      await waitFor(async () => (await pool.status()).fewestPosts >= k, 30_000);
    }
    const started = performance.now();
    await server.stop();
    server = await startServer({ dataDir: seeded.dataDir, port: server.port });
    for (let k = 0; k < AFTER; k++) await publishStamped(server.url, token);
    const allBack = await waitFor(async () => {
      const status = await pool.status();
      return status.connected === clients && status.fewestPosts >= BEFORE + AFTER;
    }, timeoutMs);
    const backMs = performance.now() - started;
    const status = await pool.status();
    const result = {
      clients,
      backMs,
      allBack,
      duplicates: status.duplicates,
      busyRefusals: status.busyRefusals,
      fewestPosts: status.fewestPosts,
      posts: BEFORE + AFTER,
    };
    console.log(
      `  reconnect storm, ${clients} clients: ${allBack ? 'all back and caught up' : 'NOT all back'} ` +
        `${(backMs / 1000).toFixed(1)} s after the stop; fewest posts on a socket ${status.fewestPosts}/${BEFORE + AFTER}, ` +
        `${status.duplicates} duplicates; ${status.busyRefusals} handshakes told to retry later`,
    );
    return result;
  } finally {
    await pool.close();
    await server.stop();
    await rm(seeded.dataDir, { recursive: true, force: true });
  }
}
