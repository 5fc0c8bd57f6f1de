/**
 * The first-run trial: the app runs the bundled server itself (Electron's binary as Node; here,
 * Node's), reads its URL from the "listening on" line, and stops it on quit by asking it over the
 * IPC channel (which Windows has too), killing it only after a bound.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API, type HealthResponse, type Post, type PostListResponse } from '../../contract/wire.js';
import { parseListeningUrl, startLocalServer } from '../../main/electron/localServer.js';
import { SERVER_ENTRY } from '../fixtures/server.js';
import { login, publish, rememberSetupCode, request, signUp } from '../fixtures/api.js';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('the "listening on" line gives the URL; other output does not', () => {
  assert.equal(
    parseListeningUrl('tidings 0.1.0\nlistening on http://127.0.0.1:43117 (data: /x)\n'),
    'http://127.0.0.1:43117',
  );
  assert.equal(parseListeningUrl('starting…'), null);
});

test('a trial server starts on a free port with its data in the given folder, answers, and stops', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tidings-trial-'));
  dirs.push(dataDir);
  const logged: string[] = [];
  const server = await startLocalServer({
    execPath: process.execPath,
    cliPath: SERVER_ENTRY,
    dataDir,
    port: 0,
    log: (line) => logged.push(line),
  });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(server.port > 0);
    const health = (await (await fetch(new URL(API.health, server.url))).json()) as HealthResponse;
    assert.equal(health.service, 'tidings');
  } finally {
    await server.stop();
  }
  await assert.rejects(fetch(new URL(API.health, server.url)), 'the server is gone after stop()');
});

test('a port already in use is a clear error, not a hang', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tidings-trial-'));
  const otherDir = await mkdtemp(join(tmpdir(), 'tidings-trial-'));
  dirs.push(dataDir, otherDir);
  const first = await startLocalServer({
    execPath: process.execPath,
    cliPath: SERVER_ENTRY,
    dataDir,
    port: 0,
    log: () => undefined,
  });
  try {
    await assert.rejects(
      startLocalServer({
        execPath: process.execPath,
        cliPath: SERVER_ENTRY,
        dataDir: otherDir,
        port: first.port,
        log: () => undefined,
      }),
      /the local server stopped \(exit [1-9]\d*\): .+/,
    );
  } finally {
    await first.stop();
  }
});

test('quit asks the trial server to stop (no signal, which Windows does not have): a write acknowledged just before is on disk', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tidings-trial-'));
  dirs.push(dataDir);
  const logged: string[] = [];
  const options = {
    execPath: process.execPath,
    cliPath: SERVER_ENTRY,
    dataDir,
    port: 0,
    log: (line: string) => logged.push(line),
  };
  const first = await startLocalServer(options);
  let post: Post;
  try {
    // As the app's trial does: the setup code makes the first account the admin and an author.
    rememberSetupCode(first.url, first.setupCode);
    const ana = await signUp(first.url, 'ana');
    // 201 Created is the server's acknowledgement; quit follows at once.
    post = await publish(first.url, ana.token, 'Written just before quit');
  } finally {
    assert.equal(await first.stop(), 'stopped', 'it exited by itself, not killed');
  }
  assert.ok(
    logged.some((line) => line.includes('the app asked to stop: finishing pending writes')),
    `the server stopped because it was asked:\n${logged.join('\n')}`,
  );

  const second = await startLocalServer(options);
  try {
    const again = await login(second.url, 'ana');
    const posts = await request<PostListResponse>(second.url, 'GET', API.posts, {
      token: again.token,
    });
    assert.ok(
      posts.body.items.some((item) => item.id === post.id),
      'the acknowledged post survived the quit',
    );
  } finally {
    await second.stop();
  }
});

test('a trial server that does not stop when asked is killed after the bound', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-trial-'));
  dirs.push(dir);
  // A stand-in server that says it listens and then ignores every request to stop.
  const stubborn = join(dir, 'stubborn.mjs');
  await writeFile(
    stubborn,
    "process.on('message', () => {}); process.on('SIGTERM', () => {});\n" +
      "console.log('listening on http://127.0.0.1:1'); setInterval(() => {}, 1000);\n",
  );
  const logged: string[] = [];
  const server = await startLocalServer({
    execPath: process.execPath,
    cliPath: stubborn,
    dataDir: dir,
    port: 0,
    log: (line) => logged.push(line),
    stopTimeoutMs: 500,
  });
  assert.equal(await server.stop(), 'killed');
  assert.ok(logged.some((line) => /did not stop in time; killing it/.test(line)));
});
