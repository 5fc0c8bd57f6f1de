/**
 * This node's writes between their start and their resolution, so `settled()` can wait for those
 * started before it was called: a write is committed (other readers see its seq) a moment before
 * it resolves here, and its live push runs only when it resolves (engine.ts).
 *
 * The test seam TIDINGS_TEST_HOLD_COMMITS=on stretches that moment on purpose: every write that
 * issued a seq (a post, a like, an announcement: the writes with a live push) is held after its
 * COMMIT, before it resolves, until the process gets SIGUSR2 (which releases every write held so
 * far), and says so on stderr. test/cluster/crossNodeHandoff.test.ts uses it to hold a node's
 * push of a committed item while a socket on another node catches up.
 */

export interface WritesInFlight {
  track<T>(write: () => Promise<T>): Promise<T>;
  /** Resolves once every write in flight at the call has resolved or failed. */
  landed(): Promise<void>;
}

export function trackWritesInFlight(): WritesInFlight {
  const inFlight = new Set<Promise<unknown>>();
  return {
    track(write) {
      const running = write();
      const settledWrite = running.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settledWrite);
      void settledWrite.then(() => inFlight.delete(settledWrite));
      return running;
    },
    landed() {
      if (inFlight.size === 0) return Promise.resolve();
      return Promise.all([...inFlight]).then(() => undefined);
    },
  };
}

/** The seam's hold (undefined unless TIDINGS_TEST_HOLD_COMMITS is `on`). */
export function commitHoldFromEnvironment(
  value: string | undefined,
): (() => Promise<void>) | undefined {
  if (value !== 'on') return undefined;
  let release: (() => void) | undefined;
  let released: Promise<void> | undefined;
  process.on('SIGUSR2', () => {
    release?.();
    release = undefined;
    released = undefined;
  });
  return () => {
    released ??= new Promise<void>((resolve) => {
      release = resolve;
    });
    process.stderr.write('test seam: a commit is held until SIGUSR2\n');
    return released;
  };
}
