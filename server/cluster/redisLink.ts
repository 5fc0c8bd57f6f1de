/**
 * A node's link to the Redis that several nodes share (--redis-url): two connections, because
 * socket.io's adapter puts one in subscriber mode, and the knowledge of whether Redis is up.
 *
 * Start-up refuses a Redis it cannot reach (an operator learns at once that the URL is wrong).
 * Later outages never stop the node: it keeps serving its own sockets, the clients reconnect in
 * the background (forever, every half second at most), publishes made meanwhile wait in the
 * client's queue and go out when it is back, and `onRestored` listeners run once per outage, when
 * both connections are ready again, so the node can make its clients catch up on what the
 * subscriber connection missed.
 */
import { createClient } from 'redis';
import type { Logger } from '../log.js';
import { RedisUnavailableError } from './redisUnavailable.js';

type ReconnectStrategy = (retries: number, cause: Error) => number | Error;

const newClient = (url: string, reconnectStrategy: ReconnectStrategy) =>
  createClient({ url, socket: { reconnectStrategy } });

export type RedisClient = ReturnType<typeof newClient>;

export { RedisUnavailableError };

export interface RedisLink {
  /** Commands and publishes (socket.io's adapter, the rate limits). */
  readonly commands: RedisClient;
  /** Subscriber mode, for socket.io's adapter alone. */
  readonly subscriber: RedisClient;
  /** Runs after every outage, once both connections are ready again. */
  onRestored(listener: () => void): void;
  close(): Promise<void>;
}

/** How long start-up keeps trying before it refuses: a Redis restarting with the node is fine. */
const START_ATTEMPTS = 20;
const MAX_RETRY_MS = 500;

/** The URL without its password, for messages. */
function shown(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

export async function connectRedis(url: string, log: Logger): Promise<RedisLink> {
  let started = false;
  let closing = false;
  let down = false;
  const restoredListeners: (() => void)[] = [];

  const client = (role: string): RedisClient => {
    // Before the first ready: a bounded number of tries, then start-up fails. After it: forever,
    // so an outage never takes the node down.
    const created = newClient(url, (retries, cause) =>
      !started && retries >= START_ATTEMPTS ? cause : Math.min((retries + 1) * 50, MAX_RETRY_MS),
    );
    // Every failed retry emits 'error'; the outage is logged once below, not once per retry.
    created.on('error', () => undefined);
    created.on('end', () => noteDown(role));
    created.on('reconnecting', () => noteDown(role));
    created.on('ready', noteReady);
    return created;
  };

  const commands = client('commands');
  const subscriber = client('subscriber');

  function noteDown(role: string): void {
    if (!started || closing || down) return;
    down = true;
    log.error(
      `Redis connection (${role}) lost: this node serves its own sockets alone until it is back`,
    );
  }

  function noteReady(): void {
    if (!started || closing || !down || !commands.isReady || !subscriber.isReady) return;
    down = false;
    log.info('Redis is back: clients of this node catch up on what they missed');
    for (const listener of restoredListeners) listener();
  }

  try {
    await Promise.all([commands.connect(), subscriber.connect()]);
  } catch (error) {
    for (const each of [commands, subscriber]) if (each.isOpen) each.destroy();
    const why = error instanceof Error ? error.message : String(error);
    throw new RedisUnavailableError(`cannot reach Redis at ${shown(url)}: ${why}`);
  }
  started = true;

  return {
    commands,
    subscriber,
    onRestored: (listener) => void restoredListeners.push(listener),
    async close() {
      closing = true;
      await Promise.allSettled([commands.close(), subscriber.close()]);
    },
  };
}
