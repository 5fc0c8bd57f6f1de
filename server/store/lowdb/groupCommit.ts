/**
 * Group commit: many changes, one write. Callers apply their change in memory and then wait on
 * `commit()`. The first waiter opens a short window; when it closes, ONE write carries every change
 * made so far. A second write never starts while one is in flight: changes made meanwhile wait and
 * go out together right after it. Each waiter resolves only once the write holding its change is on
 * disk, and rejects if that write failed.
 */
export interface GroupCommitOptions {
  windowMs: number;
  /** Writes the current in-memory state; must capture it synchronously before its first await. */
  write(): Promise<void>;
  /**
   * Called once when a write failed, before the waiters are rejected, with the error they get.
   * Every change not yet on disk is lost here (the caller restores the last written state), so the
   * waiters of the failed write AND those queued behind it are rejected.
   */
  recover(error: unknown): Error;
}

export interface GroupCommit {
  commit(): Promise<void>;
  /** Resolves once nothing is waiting and nothing is in flight. Rejections are the waiters'. */
  drain(): Promise<void>;
  /**
   * Resolves (never rejects) once every commit asked for before the call was written or failed,
   * so memory holds only what is on disk. Starts no write of its own.
   */
  settled(): Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/** Shared, so a read with nothing in flight costs no allocation. */
const SETTLED: Promise<void> = Promise.resolve();

export function createGroupCommit(options: GroupCommitOptions): GroupCommit {
  let waiting: Waiter[] = [];
  /** Cancels the scheduled write; set while one is scheduled and not yet started. */
  let timer: (() => void) | undefined;
  let inFlight: Promise<void> | undefined;

  const schedule = (delayMs: number): void => {
    if (timer !== undefined || inFlight !== undefined || waiting.length === 0) return;
    if (delayMs > 0) {
      const timeout = setTimeout(startWrite, delayMs);
      timer = () => clearTimeout(timeout);
    } else {
      // No window: after every change made in this turn of the event loop (and its microtasks),
      // not a timer: setTimeout(fn, 0) waits a millisecond (Node makes 0 into 1), which a post's
      // latency would pay.
      const immediate = setImmediate(startWrite);
      timer = () => clearImmediate(immediate);
    }
  };

  const startWrite = (): void => {
    timer = undefined;
    const batch = waiting;
    waiting = [];
    inFlight = writeBatch(batch).finally(() => {
      inFlight = undefined;
      // Whatever queued up during the write has already waited a full write; send it at once.
      schedule(0);
    });
  };

  const writeBatch = async (batch: Waiter[]): Promise<void> => {
    try {
      await options.write();
    } catch (cause) {
      const lost = [...batch, ...waiting];
      waiting = [];
      const error = options.recover(cause);
      for (const waiter of lost) waiter.reject(error);
      return;
    }
    for (const waiter of batch) waiter.resolve();
  };

  return {
    commit() {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        schedule(options.windowMs);
      });
    },
    async drain() {
      while (timer !== undefined || inFlight !== undefined) {
        if (timer !== undefined) {
          timer();
          startWrite();
        }
        await inFlight;
      }
    },
    settled() {
      if (waiting.length > 0) {
        // Rides along with the batch its changes are in: a write is already scheduled for it.
        return new Promise<void>((resolve) => {
          waiting.push({ resolve, reject: () => resolve() });
        });
      }
      // writeBatch never rejects (failures go to the waiters), so neither does this.
      return inFlight ?? SETTLED;
    },
  };
}
