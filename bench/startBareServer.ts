/** Starts bench/bareServer.ts (the floor) in its own process, like the real server, and stops it by PID. */
import type { ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signalAndWait, spawnListening } from '../test/fixtures/childProcess.js';
import type { ClientUser } from './protocol.js';

const SCRIPT = fileURLToPath(new URL('./bareServer.ts', import.meta.url));

export interface BareServer {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `dir` is a temp directory the caller owns; the token list is written there and removed on stop.
 * `port` brings it back on the port its clients reconnect to (the storm's floor); 0 picks one.
 */
export async function startBareServer(
  users: ClientUser[],
  dir: string,
  port = 0,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BareServer> {
  const tokensFile = join(dir, 'bare-tokens.json');
  await writeFile(tokensFile, JSON.stringify(users.map((user) => [user.token, user.id])));
  const { url, child, output } = await spawnListening(
    'the bare socket.io server',
    process.execPath,
    ['--import', 'tsx', SCRIPT, tokensFile, String(port)],
    { env },
  );
  return {
    url,
    child,
    output,
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await signalAndWait(child, 'SIGTERM');
      clearTimeout(timer);
      await rm(tokensFile, { force: true });
    },
  };
}
