/**
 * A server on its own never loads what only PostgreSQL or Redis need (`pg`, `redis`, socket.io's
 * Redis adapter), nor the feed parsers before it reads a feed: together they cost it about 30 MB
 * resident (docs/BENCHMARKS.md, "Resident memory, fourth pass"). A real server process runs with
 * a module hook that writes down every module it resolves; it signs a user up, publishes and
 * takes a like, then the list is read. The server is a bundle (scripts/bundleServer.mjs): its
 * packages are inside the files of dist/server/bundle/, and the bundle's packages.json says which
 * file holds which, so a file loaded stands for the packages in it. A bare package name is
 * counted too, for a server built without the bundle.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, it } from 'node:test';
import { like, publish, signUp } from '../fixtures/api.js';
import {
  SERVER_ENTRY,
  startServer,
  stopServers,
  TEST_STORE,
  type RunningServer,
} from '../fixtures/server.js';

const servers: RunningServer[] = [];
const dirs: string[] = [];

after(() => stopServers(servers, { scratch: dirs }));

/** The bundle's files and the packages in each, from its manifest; empty without a bundle. */
async function bundledPackages(): Promise<Map<string, string[]>> {
  const bundleDir = join(dirname(SERVER_ENTRY), 'bundle');
  const text = await readFile(join(bundleDir, 'packages.json'), 'utf8').catch(() => '{}');
  const byFile = JSON.parse(text) as Record<string, string[]>;
  return new Map(
    Object.entries(byFile).map(([file, packages]) => [join(bundleDir, file), packages]),
  );
}

/**
 * Writes a hook that appends each module the process resolves to `log`, one a line: the bare
 * specifier of a package, or the file of one of the bundle's.
 */
async function packageLogger(): Promise<{ importFlag: string; loaded(): Promise<Set<string>> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-modules-'));
  dirs.push(dir);
  const log = join(dir, 'loaded.txt');
  const hooks = join(dir, 'hooks.mjs');
  await writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const bare = !/^(node:|\\.|\\/|file:|data:)/.test(specifier);
  appendFileSync(${JSON.stringify(log)}, (bare ? specifier : resolved.url) + '\\n');
  return resolved;
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
      const lines = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      const bundled = await bundledPackages();
      const packages = new Set<string>();
      for (const line of lines) {
        const file = line.startsWith('file:') ? fileURLToPath(line) : undefined;
        if (file === undefined) packages.add(line);
        for (const name of (file && bundled.get(file)) ?? []) packages.add(name);
      }
      return packages;
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
