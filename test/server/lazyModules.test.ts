/**
 * A server on its own never loads what only PostgreSQL or Redis need (`pg`, `redis`, socket.io's
 * Redis adapter), nor the feed parsers before it reads a feed: together they cost it about 30 MB
 * resident (docs/BENCHMARKS.md, "Resident memory, fourth pass"). A real server process runs with
 * a module hook that writes down every package it resolves; it signs a user up, publishes and
 * takes a like, then the list is read.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, it } from 'node:test';
import { like, publish, signUp } from '../fixtures/api.js';
import { startServer, stopServers, TEST_STORE, type RunningServer } from '../fixtures/server.js';

const servers: RunningServer[] = [];
const dirs: string[] = [];

after(() => stopServers(servers, { scratch: dirs }));

/** Writes a hook that appends each bare specifier the process resolves to `log`, one a line. */
async function packageLogger(): Promise<{ importFlag: string; loaded(): Promise<Set<string>> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-modules-'));
  dirs.push(dir);
  const log = join(dir, 'loaded.txt');
  const hooks = join(dir, 'hooks.mjs');
  await writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (!/^(node:|\\.|\\/|file:|data:)/.test(specifier)) appendFileSync(${JSON.stringify(log)}, specifier + '\\n');
  return next(specifier, context);
}
`,
  );
  const register = join(dir, 'register.mjs');
  await writeFile(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  return {
    importFlag: `--import ${pathToFileURL(register).href}`,
    async loaded() {
      const text = await readFile(log, 'utf8').catch(() => '');
      return new Set(text.split('\n').filter(Boolean));
    },
  };
}

it('a server without --database-url, --redis-url or feeds loads neither pg, redis nor the feed parsers', async () => {
  const modules = await packageLogger();
  const server = await startServer({ env: { NODE_OPTIONS: modules.importFlag } });
  servers.push(server);
  const ana = await signUp(server.url, 'ana');
  const ben = await signUp(server.url, 'ben');
  const post = await publish(server.url, ana.token, 'Loaded on demand');
  await like(server.url, ben.token, post.id);

  const loaded = await modules.loaded();
  assert.ok(loaded.has('express'), `the hook saw the server's packages: ${[...loaded].join(', ')}`);
  // TIDINGS_TEST_STORE=postgres runs every server on PostgreSQL: pg is then what it needs.
  assert.equal(loaded.has('pg'), TEST_STORE === 'postgres', 'pg loaded');
  assert.ok(!loaded.has('redis'), 'redis loaded');
  assert.ok(!loaded.has('@socket.io/redis-adapter'), "socket.io's Redis adapter loaded");
  assert.ok(!loaded.has('feedsmith'), 'feedsmith loaded');
  assert.ok(!loaded.has('fast-xml-parser'), 'fast-xml-parser loaded');
});
