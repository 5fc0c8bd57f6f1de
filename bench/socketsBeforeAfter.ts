/**
 * The frame bench/connectionMemory.ts and bench/connectionHeap.ts share: a real server over N + 1
 * seeded users (one author, N subscribers), asked for a reading before and after the N connect by
 * WebSocket (the bench's client processes, each handed its `sync`). The server runs through a
 * wrapper entry that answers SIGUSR2 with a line on its output (bench/gcServerEntry.mjs,
 * bench/heapSnapshotEntry.mjs).
 */
import { rm } from 'node:fs/promises';
import type { RunningServer } from '../test/fixtures/server.js';
import { ClientPool } from './clientPool.js';
import { seed } from './seed.js';

/** Sends SIGUSR2 and resolves with the first new match of `line` (a /g pattern) in the output. */
export async function askServer(
  server: Pick<RunningServer, 'child' | 'output'>,
  line: RegExp,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  const seen = [...server.output().matchAll(line)].length;
  server.child.kill('SIGUSR2');
  for (const started = Date.now(); Date.now() - started < timeoutMs;) {
    const answer = [...server.output().matchAll(line)][seen];
    if (answer) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not answer SIGUSR2 within ${timeoutMs / 1000} s`);
}

export async function readBeforeAndAfterSockets<T>(options: {
  n: number;
  /** The wrapper entry the server runs through. */
  entry: string;
  env?: Record<string, string>;
  read: (server: RunningServer) => Promise<T>;
}): Promise<{ before: T; after: T }> {
  const { n } = options;
  const seeded = await seed({
    users: n + 1,
    authors: 1,
    subscribe: true,
    posts: 0,
    likesPerPost: 0,
  });
  // The fixture reads its entry when it loads.
  process.env.TIDINGS_SERVER_ENTRY = options.entry;
  const { startServer } = await import('../test/fixtures/server.js');
  const server = await startServer({ dataDir: seeded.dataDir, env: options.env });
  const pool = new ClientPool(4);
  try {
    const before = await options.read(server);
    const connected = await pool.connect(server.url, seeded.users.slice(1), false, 600_000);
    if (connected.ok !== n) throw new Error(`only ${connected.ok} of ${n} connected`);
    return { before, after: await options.read(server) };
  } finally {
    await pool.close();
    await server.stop();
    await rm(seeded.dataDir, { recursive: true, force: true });
  }
}

/**
 * Runs a script's `main` and exits: 0, or 1 with what failed in one line (the client processes
 * and the server's pipes would otherwise keep the process alive).
 */
export function runToExit(what: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
