/**
 * Polls followed feeds when they are due. Every few seconds it asks the feeds service to claim
 * and poll what is due, at most POLLS_AT_ONCE at a time; each feed's own schedule (interval,
 * hints, backoff, its offset in the interval) lives in the store, so this loop only keeps time.
 * A failing poll is the feed's problem, recorded on it: nothing here can take the server down.
 */
import type { Feeds } from '../domain/feeds.js';
import type { Logger } from '../log.js';

const TICK_MS = 5_000;
const POLLS_AT_ONCE = 4;

export interface FeedPoller {
  /** Stops polling; resolves when the polls in flight ended (or after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export function startFeedPoller(feeds: Feeds, log: Logger): FeedPoller {
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const tick = async (): Promise<void> => {
    if (stopped) return;
    const room = POLLS_AT_ONCE - running.size;
    if (room > 0) {
      try {
        for (const poll of await feeds.pollDue(room)) {
          const tracked = poll.catch((error: unknown) => log.error('a feed poll failed', error));
          running.add(tracked);
          void tracked.finally(() => running.delete(tracked));
        }
      } catch (error) {
        log.error('could not look for due feeds', error);
      }
    }
    if (!stopped) timer = setTimeout(() => void tick(), TICK_MS);
  };
  timer = setTimeout(() => void tick(), TICK_MS);

  return {
    async stop(graceMs = 2_000) {
      stopped = true;
      clearTimeout(timer);
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((resolve) => (graceTimer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(graceTimer);
    },
  };
}
