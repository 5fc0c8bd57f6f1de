/**
 * The security review's home-page probe (issue 10, finding 1): one author publishes ten posts of
 * `"a@b.co ".repeat(7142)` (50,000 characters that markdown-it's linkify works hardest on), then an
 * anonymous reader asks for `/` over and over, and `/healthz` is timed while four views are in
 * flight. Before excerpts were stored, every view parsed every body.
 *
 *   node scripts/build.mjs && node --import tsx bench/homePageProbe.ts
 *   TIDINGS_SERVER_ENTRY=/path/to/other/dist/server/cli.js node --import tsx bench/homePageProbe.ts
 *
 * The author is added with `users add` (works on every version), so the same script measures any
 * build. docs/RELIABILITY.md records its figures.
 */
import { API, type LoginResponse } from '../contract/wire.js';
import { runCli, SERVER_ENTRY, startServer } from '../test/fixtures/server.js';
import { describe, summarize } from './stats.js';

const PASSWORD = 'correct horse battery';
const HEAVY_BODY = 'a@b.co '.repeat(7142);
const POSTS = 10;
const VIEWS = 40;
const IN_FLIGHT = 4;

async function timed(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url} → ${response.status}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const server = await startServer({ env: { TIDINGS_PASSWORD_COST: '10' } });
  try {
    await server.stop();
    const added = await runCli(
      ['users', 'add', 'author', '--author', '--data-dir', server.dataDir],
      {
        TIDINGS_PASSWORD: PASSWORD,
        TIDINGS_PASSWORD_COST: '10',
      },
    );
    if (added.code !== 0) throw new Error(added.stderr);
    const running = await startServer({ dataDir: server.dataDir });
    try {
      const login = await fetch(new URL(API.login, running.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'author', password: PASSWORD }),
      });
      const { token } = (await login.json()) as LoginResponse;
      for (let i = 1; i <= POSTS; i++) {
        const published = await fetch(new URL(API.posts, running.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ title: `Heavy ${i}`, body: HEAVY_BODY }),
        });
        if (published.status !== 201) throw new Error(`publish → ${published.status}`);
      }
      const home = `${running.url}/`;
      await timed(home); // warm-up
      const views: number[] = [];
      for (let i = 0; i < VIEWS; i++) views.push(await timed(home));

      const health: number[] = [];
      for (let round = 0; round < 5; round++) {
        const inFlight = Array.from({ length: IN_FLIGHT }, () => timed(home));
        health.push(await timed(`${running.url}${API.health}`));
        await Promise.all(inFlight);
      }
      console.log(`server: ${SERVER_ENTRY}`);
      console.log(`anonymous GET / with ${POSTS} heavy posts: ${describe(summarize(views))}`);
      console.log(
        `GET /healthz with ${IN_FLIGHT} views of / in flight: ${describe(summarize(health))}`,
      );
    } finally {
      await running.stop();
    }
  } finally {
    await server.cleanup();
  }
}

await main();
