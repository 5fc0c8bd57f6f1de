/**
 * `latestSeq()` is synchronous in the Store interface, so this driver answers it from memory: the
 * newest seq this node has seen. It moves forward
 * - at once on this node's own commits and on every seq its reads return,
 * - within milliseconds of another node's commit: every transaction that issues a seq notifies
 *   SEQ_CHANNEL, delivered at its commit, and each node LISTENs on its own connection,
 * - and from the database itself at open, after the listening connection is (re)established, and
 *   every REFRESH_MS in case a notification was lost.
 * It never moves backwards. With several nodes it can therefore lag another node's commit by the
 * notification's delay (docs/STORAGE.md, "latestSeq with several nodes").
 *
 * The same connection hears token revocations (REVOKED_CHANNEL), so an admin command run against
 * the database ends the revoked devices' live sockets on every node.
 */
import pg from 'pg';
import { createBatchedLookup } from './batchedLookup.js';
import type { Database } from './database.js';

export const SEQ_CHANNEL = 'tidings_seq';
/**
 * Token revocations, sent in the revoking transaction (so at its commit) from whichever process
 * made them, a node or an admin command: every node drops the sockets those tokens opened.
 */
export const REVOKED_CHANNEL = 'tidings_revoked';

/** What a revocation notice carries: the tokens revoked, or all of one user's. */
export type Revocation = { tokenIds: string[] } | { userId: string };
const REFRESH_MS = 5_000;
const RELISTEN_MS = 1_000;

export interface LatestSeq {
  value(): number;
  /** A seq this node committed or read. */
  saw(seq: number): void;
  /** Reads the newest seq from the database (connection errors propagate). */
  refresh(): Promise<void>;
  /** Starts listening for other nodes' seqs. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createLatestSeq(
  db: Database,
  connectionString: string,
  onRevoked?: (revocation: Revocation) => void,
): LatestSeq {
  let latest = 0;
  let listener: pg.Client | undefined;
  let stopped = false;
  let relisten: NodeJS.Timeout | undefined;
  let refresher: NodeJS.Timeout | undefined;

  const saw = (seq: number): void => {
    if (seq > latest) latest = seq;
  };

  // `settled()` refreshes before every socket's catch-up: in a reconnect storm, one read answers
  // every refresh asked for while the one before was in flight. It is sent after they all asked,
  // so it still covers every seq committed before each of them (batchedLookup.ts). Its one key
  // stands for the table's one row.
  const readLatest = createBatchedLookup({
    query: async () =>
      (await db.query<{ latest_seq: number }>('SELECT latest_seq FROM event_seq')).rows,
    keyOf: () => 'event_seq',
    toValue: ([row]) => row?.latest_seq ?? 0,
  });
  const refresh = async (): Promise<void> => {
    saw(await readLatest('event_seq'));
  };

  const listen = async (): Promise<void> => {
    const client = new pg.Client({ connectionString });
    client.on('error', () => undefined);
    client.on('notification', (message) => {
      if (message.channel === SEQ_CHANNEL) saw(Number(message.payload));
      else if (message.channel === REVOKED_CHANNEL && message.payload) {
        onRevoked?.(JSON.parse(message.payload) as Revocation);
      }
    });
    client.once('end', () => {
      if (listener === client) listener = undefined;
      if (!stopped && !relisten) relisten = setTimeout(retryListen, RELISTEN_MS);
    });
    await client.connect();
    await client.query(`LISTEN ${SEQ_CHANNEL}`);
    if (onRevoked) await client.query(`LISTEN ${REVOKED_CHANNEL}`);
    listener = client;
    // Anything committed while nobody was listening.
    await refresh();
  };

  const retryListen = (): void => {
    relisten = undefined;
    if (stopped) return;
    listen().catch(() => {
      if (!stopped && !relisten && !listener) relisten = setTimeout(retryListen, RELISTEN_MS);
    });
  };

  return {
    value: () => latest,
    saw,
    refresh,
    async start() {
      await refresh();
      await listen();
      refresher = setInterval(() => {
        refresh().catch(() => undefined);
      }, REFRESH_MS);
      refresher.unref();
    },
    async stop() {
      stopped = true;
      if (relisten) clearTimeout(relisten);
      if (refresher) clearInterval(refresher);
      await listener?.end().catch(() => undefined);
    },
  };
}
