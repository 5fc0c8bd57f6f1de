/** Starts bench/bareServer.ts (the floor) in its own process, like the real server, and stops it by PID. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientUser } from './protocol.js';

const SCRIPT = fileURLToPath(new URL('./bareServer.ts', import.meta.url));
const LISTEN_LINE = /listening on (http:\/\/[^\s]+)/;

export interface BareServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `dir` is a temp directory the caller owns; the token list is written there and removed on stop. */
export async function startBareServer(users: ClientUser[], dir: string): Promise<BareServer> {
  const tokensFile = join(dir, 'bare-tokens.json');
  await writeFile(tokensFile, JSON.stringify(users.map((user) => [user.token, user.id])));
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, tokensFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bare socket.io server did not start within 15 s:\n${output}`));
    }, 15_000);
    const onData = (): void => {
      const match = LISTEN_LINE.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bare socket.io server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(tokensFile, { force: true });
    },
  };
}
