/**
 * 6. Tray core footprint: runs bench/coreIdle.ts in its own process against a real server. It is
 * bundled to plain JS first and run by plain node, as the app runs it: a TypeScript loader in
 * the measured process would add its own tens of megabytes.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
// The fixtures' register sends the setup code of the server they started (its first account).
import { register } from '../../test/fixtures/api.js';
import { startServer } from '../../test/fixtures/server.js';

const CORE_IDLE = fileURLToPath(new URL('../coreIdle.ts', import.meta.url));
// Inside node_modules, so the bundle's external imports (socket.io-client, zod) resolve.
const BUNDLE = fileURLToPath(
  new URL('../../node_modules/.cache/tidings-bench/coreIdle.mjs', import.meta.url),
);

export interface CoreResult {
  idleSeconds: number;
  cpuPercent: number;
  rssMB: number;
  rssGrowthKB: number;
  stillOnline: boolean;
}

export async function coreFootprint(idleSeconds: number): Promise<CoreResult> {
  await build({
    entryPoints: [CORE_IDLE],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  const server = await startServer();
  try {
    const password = 'a bench password, long enough';
    await register(server.url, 'reader', password);
    const child = spawn(
      process.execPath,
      [BUNDLE, server.url, 'reader', password, String(idleSeconds)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (idleSeconds + 60) * 1000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    if (code !== 0) throw new Error(`the core process exited with ${code}: ${output}`);
    const measured = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
      elapsedMs: number;
      cpuMs: number;
      rssBefore: number;
      rssAfter: number;
      stillOnline: boolean;
    };
    const result = {
      idleSeconds,
      cpuPercent: (measured.cpuMs / measured.elapsedMs) * 100,
      rssMB: measured.rssAfter / 1e6,
      rssGrowthKB: (measured.rssAfter - measured.rssBefore) / 1024,
      stillOnline: measured.stillOnline,
    };
    console.log(
      `  tray core idle ${idleSeconds} s in Node: CPU ${result.cpuPercent.toFixed(3)} % of one core ` +
        `(${measured.cpuMs.toFixed(0)} ms), RSS ${result.rssMB.toFixed(1)} MB (${result.rssGrowthKB >= 0 ? '+' : ''}${result.rssGrowthKB.toFixed(0)} KB while idle), ` +
        `${result.stillOnline ? 'still online' : 'NOT online at the end'}`,
    );
    return result;
  } finally {
    await server.stop();
    await server.cleanup();
  }
}
