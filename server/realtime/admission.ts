/**
 * Admission control for reconnect storms (issue 14). After a restart every client comes back
 * within a second or two; authenticating and syncing them all at once makes every one of them
 * slow, and the slowest time out and come back again. So at most `limit` sockets may be between
 * an accepted handshake and their `sync`. A handshake beyond that is refused with `server_busy`
 * and a `retryAfterMs` spread at random over the time the server needs, at the rate it has been
 * syncing, to work through everyone refused so far: the refused clients come back spread out at
 * about the rate the server can take them.
 */
export const DEFAULT_MAX_CATCHING_UP = 200;
/** No client is told to come back sooner than this. */
const MIN_RETRY_MS = 500;
const WINDOW_MS = 1_000;

export type Admission =
  { admitted: true; done: () => void } | { admitted: false; retryAfterMs: number };

export function createAdmission(
  limit: number,
  random: () => number = Math.random,
  now: () => number = () => performance.now(),
) {
  let catchingUp = 0;
  // Per window of WINDOW_MS: the refusals (a backlog that will come back) and the syncs done.
  let windowStart = now();
  let refused = 0;
  let synced = 0;
  /** Syncs per second, from the last full window; a guess of `limit` per second at first. */
  let syncRate = limit;

  const roll = (): void => {
    const elapsed = now() - windowStart;
    if (elapsed < WINDOW_MS) return;
    if (synced > 0) syncRate = (synced * 1_000) / elapsed;
    // The backlog of the last window keeps counting until the clients told to wait are back.
    refused = Math.max(0, refused - Math.round((syncRate * elapsed) / 1_000));
    synced = 0;
    windowStart = now();
  };

  return {
    /** Call `done` once the socket's `sync` was sent, or when it is refused or gone before. */
    tryAdmit(): Admission {
      roll();
      if (catchingUp >= limit) {
        refused += 1;
        const spreadMs = ((refused + catchingUp) / Math.max(1, syncRate)) * 1_000;
        return {
          admitted: false,
          retryAfterMs: Math.round(MIN_RETRY_MS + random() * Math.max(MIN_RETRY_MS, spreadMs)),
        };
      }
      catchingUp += 1;
      let finished = false;
      return {
        admitted: true,
        done: () => {
          if (finished) return;
          finished = true;
          catchingUp -= 1;
          synced += 1;
        },
      };
    },
  };
}

export type AdmissionControl = ReturnType<typeof createAdmission>;
