/**
 * The reverse-proxy config docs/OPERATIONS.md documents, run with real nginx (Debian's
 * nginx-light) in front of a real server. The config block is read from the docs at test time, so
 * the docs and this test cannot drift: only its ports, TLS and paths are rewritten. Through it the
 * blog's pages and a form POST work (the same-origin rule passes: issue 10 found `Host $host`
 * dropped the port), socket.io connects by WebSocket and by long-polling, and /metrics is refused
 * however it is spelt. Needs `nginx` (scripts/install-system-packages.sh).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import { API } from '../../contract/wire.js';
import { postOf, publish, request, signUp, subscribe, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { nextEvent, waitUntil, type TidingsSocket } from '../fixtures/sockets.js';

const OPERATIONS = fileURLToPath(new URL('../../docs/OPERATIONS.md', import.meta.url));
const NGINX = '/usr/sbin/nginx';

/** The one ```nginx block in docs/OPERATIONS.md. */
async function documentedConfig(): Promise<string> {
  const docs = await readFile(OPERATIONS, 'utf8');
  const blocks = [...docs.matchAll(/```nginx\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  assert.equal(blocks.length, 1, 'docs/OPERATIONS.md has exactly one nginx block');
  return blocks[0] ?? '';
}

/** The documented block with only its ports and TLS changed, inside a minimal nginx.conf. */
function runnableConfig(
  block: string,
  listenPort: number,
  serverPort: number,
  dir: string,
): string {
  const server = block
    .replace(/listen 443 ssl;/, `listen 127.0.0.1:${listenPort};`)
    .replace(/^\s*ssl_\S+.*$/gm, '')
    .replaceAll('127.0.0.1:4300', `127.0.0.1:${serverPort}`);
  assert.notEqual(server, block, 'the documented block still has the expected shape');
  assert.doesNotMatch(server, /:4300|listen 443/);
  return [
    'daemon off;',
    'master_process off;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (kind) => `  ${kind}_temp_path ${join(dir, kind)};`,
    ),
    server,
    '}',
  ].join('\n');
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

describe('behind nginx with the documented config', () => {
  let server: RunningServer;
  let nginx: ChildProcess;
  let dir: string;
  let proxied = '';
  let nginxOutput = '';
  let ana: TestUser;
  let ben: TestUser;
  const sockets: TidingsSocket[] = [];

  before(async () => {
    server = await startServer({ env: { TIDINGS_TRUST_PROXY: 'on' } });
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
    await subscribe(server.url, ben.token);

    dir = await mkdtemp(join(tmpdir(), 'tidings-nginx-'));
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    await writeFile(conf, runnableConfig(await documentedConfig(), port, server.port, dir));
    nginx = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nginx.stdout?.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString()));
    nginx.stderr?.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString()));
    nginx.once('error', (error) => (nginxOutput += `cannot run ${NGINX}: ${error.message}`));
    proxied = `http://127.0.0.1:${port}`;
    await waitUntil(async () => {
      assert.equal(nginx.exitCode, null, `nginx exited: ${nginxOutput}`);
      return fetch(`${proxied}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
    }, 'nginx answers');
  });

  after(async () => {
    for (const socket of sockets) socket.close();
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGTERM');
      await once(nginx, 'exit');
    }
    assert.equal(server.child.exitCode, null, `the server exited:\n${server.output()}`);
    await server.stop();
    await server.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves pages, and a form POST from its own page passes the same-origin rule', async () => {
    const home = await fetch(`${proxied}/`);
    assert.equal(home.status, 200);
    await home.text();

    const form = await fetch(`${proxied}/signin`);
    const page = await form.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(csrf, 'the sign-in form carries a CSRF token');
    const anonymous = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const signedIn = await fetch(`${proxied}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        origin: proxied,
        cookie: anonymous,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        _csrf: csrf,
        username: 'ben',
        password: ben.password,
        next: '/',
      }),
    });
    assert.equal(signedIn.status, 303, await signedIn.text());
    const session = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.match(session, /^tidings_session=/);
    const mine = await fetch(`${proxied}/notifications`, { headers: { cookie: session } });
    assert.equal(mine.status, 200);
    assert.match(await mine.text(), /ben/);
  });

  for (const transport of ['websocket', 'polling'] as const) {
    it(`socket.io connects by ${transport} through it and hears of a new post`, async () => {
      const socket: TidingsSocket = io(proxied, {
        auth: { token: ben.token },
        transports: [transport],
        extraHeaders: { origin: proxied },
        reconnection: false,
        forceNew: true,
        autoConnect: false,
      });
      sockets.push(socket);
      const synced = nextEvent(socket, 'sync');
      socket.connect();
      await synced;
      const arrived = nextEvent(socket, 'notification:new');
      await publish(server.url, ana.token, `Through nginx by ${transport}`);
      assert.equal(postOf(await arrived).title, `Through nginx by ${transport}`);
    });
  }

  it('refuses /metrics as documented, however it is spelt', async () => {
    const metrics = await fetch(`${proxied}${API.metrics}`);
    assert.equal(metrics.status, 403, 'nginx denies /metrics to addresses outside 10.0.0.0/8');
    await metrics.text();
    for (const path of ['/metrics/', '/METRICS', '/metrics?x=1', '/%6detrics']) {
      const other = await fetch(`${proxied}${path}`);
      const body = await other.text();
      assert.notEqual(other.status, 200, path);
      assert.doesNotMatch(body, /tidings_connected_sockets/, path);
    }
    assert.equal((await request(proxied, 'GET', API.health)).status, 200);
  });
});
