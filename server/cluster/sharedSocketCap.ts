/**
 * The per-user socket cap (--max-sockets-per-user) across every node that shares a Redis: ten
 * sockets means ten on the blog, not ten on each node.
 *
 * Each user has one Redis hash, `tidings:sockets:<userId>`, that holds how many sockets each node
 * holds for them (field = the node's id, made afresh at every start and after every Redis
 * outage). A handshake runs one Lua script that sums the live nodes' fields and, below the cap,
 * adds one to this node's, atomically, so parallel handshakes on several nodes cannot slip past
 * it; a closed socket takes its one back.
 * A node is live while its key `tidings:node:<id>` exists: it refreshes it every HEARTBEAT_MS,
 * deletes it when it stops, and a node killed with -9 lets it expire (ALIVE_MS). The script drops
 * the fields of nodes that are no longer live as it meets them, so a dead node's sockets stop
 * counting without anyone having to clean up after it.
 *
 * Why this and not the adapter's cross-node `fetchSockets` (ask every node who holds the user's
 * sockets): that is a request every node must answer, with every socket's handshake serialised in
 * the reply, on every handshake, because a user below the cap on this node may be at it across
 * the nodes. In a reconnect storm of 10,000 clients that is 10,000 requests to each node while
 * they are busiest. The counter costs one small script per handshake and one per disconnect on
 * the Redis link the adapter already holds, nothing per broadcast, and a user who is at the cap
 * on this node alone is refused without reaching Redis at all. Measured on the shared 2-core box
 * (load about 15, so a rough figure): 10,000 admissions cost the node 0.3–0.6 s of CPU in all,
 * 1.2–2.1 s of wall time with all of them in flight at once, against the 14–17 s such a storm
 * takes; the two-node storm in `npm run bench` runs with it on.
 *
 * While Redis is down (or a script fails) the cap falls back to this node's own count, as the
 * rate limits fall back to per-node buckets (sharedRateLimits.ts): a handshake never waits on a
 * Redis that is not there.
 */
import { randomUUID } from 'node:crypto';
import {
  createSocketCap,
  type ClosingConnection,
  type SocketCap,
} from '../realtime/socketAdmission.js';
import type { RedisLink } from './redisLink.js';

/** How often a node says it is alive. */
const HEARTBEAT_MS = 5_000;
/**
 * How long after its last heartbeat a node's sockets still count: three heartbeats, so one slow
 * one never drops a live node. It is also how long a killed node's sockets keep counting; its
 * clients reconnect meanwhile, and only a user already near the cap can be refused in that time.
 */
const ALIVE_MS = 15_000;

const userKey = (userId: string): string => `tidings:sockets:${userId}`;
const NODE_KEY_PREFIX = 'tidings:node:';

/**
 * KEYS[1] the user's hash; ARGV: this node, the cap, the live-key prefix. 1 = counted, 0 = at cap.
 * (The nodes' live keys are read by name, not passed in KEYS: fine on one Redis, not on Redis
 * Cluster, which docs/SCALING.md says is not supported.)
 */
const ADMIT_SCRIPT = `
local fields = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #fields, 2 do
  local node = fields[i]
  if node == ARGV[1] or redis.call('EXISTS', ARGV[3] .. node) == 1 then
    total = total + tonumber(fields[i + 1])
  else
    redis.call('HDEL', KEYS[1], node)
  end
end
if total >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return 1
`;

/** KEYS[1] the user's hash; ARGV[1] this node. Never below zero (Redis may have restarted empty). */
const RELEASE_SCRIPT = `
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return left
`;

/** The Engine.IO connection; `readyState` tells whether it closed while Redis answered. */
interface CappedConnection extends ClosingConnection {
  readonly readyState?: string;
}

export interface SharedSocketCap extends SocketCap {
  /** This node's sockets stop counting at once (a clean stop); the heartbeat ends. */
  stop(): Promise<void>;
}

export function shareSocketCapThroughRedis(link: RedisLink, max: number): SharedSocketCap {
  // A new id after every Redis outage (below), so what Redis holds under the old one stops
  // counting: Redis may come back from a snapshot older than the counts, or without a release
  // that was on the wire as it went down.
  let nodeId = randomUUID();
  const nodeKey = (id: string): string => `${NODE_KEY_PREFIX}${id}`;
  /** This node's own count: the first check, and the whole cap while Redis is down. */
  const local = createSocketCap(max);

  const heartbeat = (): void => {
    if (!link.commands.isReady) return;
    link.commands.set(nodeKey(nodeId), '1', { expiration: { type: 'PX', value: ALIVE_MS } }).catch(
      // The next beat tries again; a Redis outage is logged once by redisLink.ts.
      () => undefined,
    );
  };
  heartbeat();
  const beating = setInterval(heartbeat, HEARTBEAT_MS);
  beating.unref();
  // After an outage this node counts afresh under a new id: the sockets it holds are asked to
  // reconnect (sharedSockets.ts) and are counted again as they do; the old id's fields stop
  // counting at once (the ADMIT script drops a field whose node is not live).
  link.onRestored(() => {
    const old = nodeId;
    nodeId = randomUUID();
    heartbeat();
    link.commands.del(nodeKey(old)).catch(() => undefined);
  });

  // Under the id the socket was counted with. While Redis is away the release waits in the
  // client's offline queue and runs when it is back; one that is lost belongs to an old id.
  const release = (userId: string, countedAs: string): void => {
    link.commands
      .eval(RELEASE_SCRIPT, { keys: [userKey(userId)], arguments: [countedAs] })
      .catch(() => undefined);
  };

  /** Counts the socket across the nodes; undefined when Redis could not say (local cap only). */
  const admitAcrossNodes = async (
    userId: string,
    countedAs: string,
  ): Promise<boolean | undefined> => {
    if (!link.commands.isReady) return undefined;
    try {
      const counted = await link.commands.eval(ADMIT_SCRIPT, {
        keys: [userKey(userId)],
        arguments: [countedAs, String(max), NODE_KEY_PREFIX],
      });
      return Number(counted) === 1;
    } catch {
      return undefined;
    }
  };

  /** Connections counted already: a client may connect the namespace again on one connection. */
  const counted = new WeakSet<ClosingConnection>();

  return {
    async admit(userId, connection: CappedConnection) {
      if (counted.has(connection)) return true;
      // At the cap on this node alone: no need to ask Redis.
      if (local.heldBy(userId) >= max) return false;
      const countedAs = nodeId;
      const across = await admitAcrossNodes(userId, countedAs);
      if (across === false) return false;
      const inRedis = across === true;
      // A parallel handshake on this node may have taken the last place meanwhile, or the client
      // gave up while Redis answered (its 'close' has fired already and would never release).
      if (connection.readyState === 'closed' || !local.admit(userId, connection)) {
        if (inRedis) release(userId, countedAs);
        return false;
      }
      counted.add(connection);
      if (inRedis) connection.on('close', () => release(userId, countedAs));
      return true;
    },
    heldBy: (userId) => local.heldBy(userId),
    async stop() {
      clearInterval(beating);
      if (link.commands.isReady) await link.commands.del(nodeKey(nodeId)).catch(() => undefined);
    },
  };
}
