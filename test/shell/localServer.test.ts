/**
 * The first-run trial: the app runs the bundled server itself (Electron's binary as Node; here,
 * Node's), reads its URL from the "listening on" line, and stops it cleanly on quit.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API, type HealthResponse } from '../../contract/wire.js';
import { parseListeningUrl, startLocalServer } from '../../main/electron/localServer.js';
import { SERVER_ENTRY } from '../fixtures/server.js';

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
