/**
 * Stories of an operator and a browser: health and metrics for monitoring, security headers, and
 * browser origins checked against the allowlist for HTTP and sockets alike.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API, PROTOCOL_VERSION } from '../../contract/wire.js';
import { errorOf, publish, request, signUp, subscribe, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { connectSocket, nextEvent } from '../fixtures/sockets.js';
import { io } from 'socket.io-client';

const FRIEND = 'https://reader.example';
const STRANGER = 'https://evil.example';

describe('operations and browsers', () => {
  let server: RunningServer;
  let ana: TestUser;

  before(async () => {
    server = await startServer({ args: ['--allowed-origins', `${FRIEND}, http://localhost:9999`] });
    ana = await signUp(server.url, 'ana');
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it('/healthz says what it is, its version and protocol', async () => {
    const health = await request(server.url, 'GET', API.health);
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, {
      ok: true,
      service: 'tidings',
      version: '0.1.0',
      protocolVersion: PROTOCOL_VERSION,
    });
  });

  it('/metrics counts sockets, pushed events, writes, store size and requests', async () => {
    await subscribe(server.url, ana.token);
    const reader = await signUp(server.url, 'ben');
    await subscribe(server.url, reader.token);
    const { socket } = await connectSocket(server.url, reader.token);
    const arrived = nextEvent(socket, 'notification:new');
    await publish(server.url, ana.token, 'Measured');
    await arrived;

    const metrics = await request<string>(server.url, 'GET', API.metrics);
    socket.close();
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    const text = metrics.body;
    assert.match(text, /^tidings_connected_sockets 1$/m);
    assert.match(text, /^tidings_events_pushed_total\{type="new_post"\} 1$/m);
    assert.match(text, /^tidings_store_write_seconds_count\{operation="publishPost"\} 1$/m);
    const size = /^tidings_store_size_bytes (\d+)$/m.exec(text);
    assert.ok(size && Number(size[1]) > 0, 'store size is reported');
    assert.match(
      text,
      /^tidings_http_requests_total\{method="POST",route="\/api\/posts",status="201"\} 1$/m,
    );
  });

  it('answers carry security headers', async () => {
    const response = await request(server.url, 'GET', API.health);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(response.headers.get('content-security-policy'));
    assert.equal(response.headers.get('x-powered-by'), null);
  });

  it('allowed origins get CORS; other origins are refused; scripts without Origin pass', async () => {
    const preflight = await request(server.url, 'OPTIONS', API.posts, {
      headers: { origin: FRIEND, 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), FRIEND);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);

    const own = await request(server.url, 'GET', API.posts, { headers: { origin: server.url } });
    assert.equal(own.status, 200, "the server's own origin is always allowed");

    const refused = await request(server.url, 'POST', API.login, {
      headers: { origin: STRANGER },
      json: { username: 'ana', password: 'whatever it is' },
    });
    assert.equal(refused.status, 403);
    assert.equal(errorOf(refused).code, 'forbidden');
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
  });

  it('sockets from a stranger origin are refused; from an allowed one they connect', async () => {
    const attempt = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = io(server.url, {
          auth: { token: ana.token },
          transports: ['polling'],
          extraHeaders: { origin },
          reconnection: false,
          forceNew: true,
        });
        socket.once('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.once('connect_error', (error) => {
          socket.close();
          resolve(`refused: ${error.message}`);
        });
      });
    assert.equal(await attempt(FRIEND), 'connected');
    assert.match(await attempt(STRANGER), /^refused/);
  });
});
