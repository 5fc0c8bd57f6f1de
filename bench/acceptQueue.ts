/**
 * Watches a listening port's accept queue with `ss` (iproute2): how many connections the kernel
 * held at most, against the socket's backlog, while the server was busy. A queue at its backlog
 * means the kernel was dropping new connections there; each one's client then retries its SYN
 * only after 1 s, 3 s, 7 s, … (issue 14, the storm's fifth pass).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
/**
 * `ss` costs about 9 ms of CPU a call with 20,000 sockets on the box: every 250 ms is about 4 % of
 * one core. A queue that overflows stays full for seconds, so this still catches it.
 */
const EVERY_MS = 250;

export interface AcceptQueueWatch {
  /** Stops watching; the most queued at once and the backlog (undefined if never listening or no `ss`). */
  stop(): Promise<{ most: number; backlog: number } | undefined>;
}

async function sample(port: number): Promise<{ queued: number; backlog: number } | undefined> {
  const { stdout } = await run('ss', ['-Hltn', `sport = :${port}`]);
  // LISTEN <Recv-Q: queued now> <Send-Q: the backlog> <local address> <peer>
  const [, queued, backlog] = stdout.trim().split(/\s+/);
  if (queued === undefined || backlog === undefined) return undefined;
  return { queued: Number(queued), backlog: Number(backlog) };
}

export function watchAcceptQueue(port: number): AcceptQueueWatch {
  let most: { most: number; backlog: number } | undefined;
  let watching = true;
  const loop = (async () => {
    while (watching) {
      const seen = await sample(port).catch(() => undefined);
      if (seen) most = { most: Math.max(most?.most ?? 0, seen.queued), backlog: seen.backlog };
      await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
    }
  })();
  return {
    async stop() {
      watching = false;
      await loop;
      return most;
    },
  };
}
