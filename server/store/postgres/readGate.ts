/**
 * Keeps part of the pool for transactions. pg.Pool serves whoever waits for a connection first
 * come first served, so without this a reconnect storm's reads could take every connection and an
 * author's publish would queue behind all of them. Reads pass through this gate, which lets only
 * `limit` of them hold or wait for a connection at once; transactions go to the pool directly and
 * find the rest free (or held by other transactions). A read never takes a second connection while
 * it holds one, and a transaction never reads through the pool, so a pool of one cannot deadlock.
 */

export interface ReadGate {
  /** Runs `read` once fewer than `limit` reads are running (in the order asked). */
  run<T>(read: () => Promise<T>): Promise<T>;
}

export interface ReadGateOptions {
  /** How many reads may run at once. */
  limit: number;
  /**
   * How long a read may wait here before it fails, as pg.Pool's own wait for a connection does
   * (connectionTimeoutMillis): a database that does not answer fails requests, not queues them.
   */
  waitLimitMs: number;
  /** The error a read that waited too long fails with. */
  timedOut: () => Error;
}

/**
 * How many of a pool's connections reads may hold: all but a fifth (at least one is kept), and
 * never none, so a pool of one or two still reads.
 */
export function readsAtOnce(poolSize: number): number {
  return Math.max(1, poolSize - Math.max(1, Math.round(poolSize / 5)));
}

export function createReadGate(options: ReadGateOptions): ReadGate {
  let running = 0;
  const waiting: (() => void)[] = [];

  const runNow = async <T>(read: () => Promise<T>): Promise<T> => {
    running += 1;
    try {
      return await read();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };

  return {
    run(read) {
      if (running < options.limit) return runNow(read);
      return new Promise((resolve, reject) => {
        const start = () => {
          clearTimeout(timer);
          runNow(read).then(resolve, reject);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(start), 1);
          reject(options.timedOut());
        }, options.waitLimitMs);
        waiting.push(start);
      });
    },
  };
}
