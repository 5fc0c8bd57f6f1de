/**
 * The bundled server, run by the app itself for a single-user trial: Electron's own binary runs
 * dist/server/cli.js as plain Node (ELECTRON_RUN_AS_NODE), on 127.0.0.1, with its data in the app's
 * user-data folder. No Electron import here, so a Node test can run it with Node's binary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';

export interface LocalServer {
  url: string;
  port: number;
  /**
   * The setup code this app gave the server: while the server has no account, a sign-up that
   * brings it becomes the admin (the trial's one click). Nobody else has it, even on 127.0.0.1.
   */
  setupCode: string;
  /**
   * Asks the server to finish its pending writes and exit, waits up to `stopTimeoutMs`, then
   * kills it. Resolves with how it ended.
   */
  stop(): Promise<'stopped' | 'killed'>;
}

/** The message the app sends over the IPC channel (server/cli.ts listens for it). */
export const SHUTDOWN_MESSAGE = { type: 'tidings:shutdown' } as const;

/** The server gives itself 10 s to flush (server/cli.ts); a little more before killing it. */
const STOP_TIMEOUT_MS = 12_000;

const LISTEN_LINE = /listening on (http:\/\/[^\s]+)/;

/** The URL from the server's "listening on http://…" line, or null while it has not printed one. */
export function parseListeningUrl(output: string): string | null {
  return LISTEN_LINE.exec(output)?.[1] ?? null;
}

export async function startLocalServer(options: {
  /** The binary that runs it: Electron's (process.execPath) in the app, Node's in tests. */
  execPath: string;
  cliPath: string;
  dataDir: string;
  /** 0 picks a free port; the app then reuses that port so saved sign-ins stay valid. */
  port: number;
  log: (message: string) => void;
  startupTimeoutMs?: number;
  /** How long a clean shutdown may take before the server is killed. */
  stopTimeoutMs?: number;
}): Promise<LocalServer> {
  const setupCode = randomBytes(24).toString('base64url');
  const child = spawn(
    options.execPath,
    [
      options.cliPath,
      '--host',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--data-dir',
      options.dataDir,
    ],
    {
      // The code travels in the environment, not argv, which other local users can read (ps).
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', TIDINGS_SETUP_CODE: setupCode },
      // The IPC channel is how the app asks it to stop: on Windows there are no signals to send
      // (SIGTERM there is TerminateProcess, which would lose the writes in flight).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      windowsHide: true,
    },
  );
  const { stdout, stderr } = child;
  if (!stdout || !stderr) throw new Error('the local server was started without output pipes');
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  stdout.on('data', collect);
  stderr.on('data', collect);

  const url = await waitForListening(child, () => output, options.startupTimeoutMs ?? 15_000);
  // Keep the server's later lines in the app's log rather than in memory.
  stdout.off('data', collect);
  stderr.off('data', collect);
  stdout.on('data', (chunk: Buffer) => options.log(`local server: ${chunk.toString().trim()}`));
  stderr.on('data', (chunk: Buffer) => options.log(`local server: ${chunk.toString().trim()}`));

  return {
    url,
    port: Number(new URL(url).port),
    setupCode,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return 'stopped';
      const exited = once(child, 'exit');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), options.stopTimeoutMs ?? STOP_TIMEOUT_MS);
      });
      if (child.connected) child.send(SHUTDOWN_MESSAGE);
      const ended = await Promise.race([exited.then(() => 'exited' as const), timedOut]);
      clearTimeout(timer);
      if (ended === 'exited') return 'stopped';
      options.log('local server: it did not stop in time; killing it');
      child.kill('SIGKILL');
      await exited;
      return 'killed';
    },
  };
}

function waitForListening(
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `the local server did not start within ${timeoutMs / 1000} s: ${lastLine(output())}`,
        ),
      );
    }, timeoutMs);
    const check = (): void => {
      const url = parseListeningUrl(output());
      if (!url) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
      resolve(url);
    };
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`the local server stopped (exit ${code}): ${lastLine(output())}`));
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`the local server could not be started: ${error.message}`));
    });
  });
}

/**
 * The line that says why: the server prints one clear line for the failures it expects; for a crash
 * Node prints a stack, whose "…Error: …" line is the useful one.
 */
function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at ') && !/^Node\.js v/.test(line));
  return lines.find((line) => /^\w*Error:/.test(line)) ?? lines.at(-1) ?? 'no output';
}
