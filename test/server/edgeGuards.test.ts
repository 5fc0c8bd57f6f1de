/**
 * The review's findings about the server's edges (issue 10), each as the attack or accident it
 * was: /metrics reached by another spelling, an allowlisted origin acting with a reader's cookie,
 * a bad percent-escape answered with a stack trace, DNS rebinding, caches keeping personal pages,
 * and a spoofable proxy header.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import { API } from '../../contract/wire.js';
import { errorOf, request, signUp, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';

const FRIEND = 'http://www.example.test';
const METRICS_TOKEN = 'scrape-me-0123456789abcdef';

/** Connects a socket with these headers; resolves 'connected' or the refusal's code. */
function socketOutcome(
  url: string,
  headers: Record<string, string>,
  auth: Record<string, unknown> = {},
): Promise<string> {
  return new Promise((resolve) => {
    const socket = io(url, {
      auth,
      transports: ['polling'],
      extraHeaders: headers,
      reconnection: false,
      forceNew: true,
    });
    socket.once('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
      socket.close();
      resolve(error.data?.code ?? `refused: ${error.message}`);
    });
  });
}

/** A GET with a Host header of our choosing (fetch always sends the URL's own). */
function getWithHost(
  url: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(new URL(path, url), { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('edge guards', () => {
  let server: RunningServer;
  let ana: TestUser;
  let ben: TestUser;

  before(async () => {
    server = await startServer({
      args: ['--allowed-origins', FRIEND, '--metrics-token', METRICS_TOKEN],
      env: { TIDINGS_ALLOWED_HOSTS: 'blog.example.test' },
    });
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
  });

  after(async () => {
    assert.equal(await server.stop(), 0);
    await server.cleanup();
  });

  it('/metrics needs the bearer token, and no other spelling serves it', async () => {
    const bearer = { authorization: `Bearer ${METRICS_TOKEN}` };
    const scraped = await request<string>(server.url, 'GET', '/metrics', { headers: bearer });
    assert.equal(scraped.status, 200);
    assert.match(scraped.body, /^tidings_connected_sockets /m);

    const anonymous = await request(server.url, 'GET', '/metrics');
    assert.equal(anonymous.status, 401);
    assert.equal(errorOf(anonymous).code, 'unauthorized');
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/);
    const wrong = await request(server.url, 'GET', '/metrics', {
      headers: { authorization: 'Bearer scrape-me-0123456789abcdeX' },
    });
    assert.equal(wrong.status, 401);

    for (const path of ['/metrics/', '/METRICS', '/Metrics', '/metrics//']) {
      const other = await request<string>(server.url, 'GET', path, { headers: bearer });
      assert.notEqual(other.status, 200, `${path} answered 200`);
      assert.doesNotMatch(String(other.body), /tidings_connected_sockets/, path);
    }
  });

  it('a bad percent-escape is a 400 with a message, on the API and on pages, and logs no stack', async () => {
    const api = await request(server.url, 'GET', '/api/posts/%');
    assert.equal(api.status, 400);
    assert.equal(errorOf(api).code, 'invalid_payload');
    const page = await fetch(`${server.url}/posts/%E0%A4%A`);
    assert.equal(page.status, 400);
    assert.match(await page.text(), /could not be read/);
    assert.doesNotMatch(server.output(), /internal error|URIError|Failed to decode/);
  });

  it('an allowlisted origin gets plain CORS on the API, none on pages, and never credentials', async () => {
    const cookie = `tidings_session=${ben.token}`;
    // The attack: with Ben's cookie, read his CSRF token from /notifications, then post a form.
    const page = await fetch(`${server.url}/notifications`, {
      headers: { origin: FRIEND, cookie },
    });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /name="_csrf"/, 'the page itself is served');
    assert.equal(page.headers.get('access-control-allow-origin'), null);
    assert.equal(page.headers.get('access-control-allow-credentials'), null);

    const preflight = await fetch(`${server.url}/subscription`, {
      method: 'OPTIONS',
      headers: { origin: FRIEND, 'access-control-request-method': 'POST', cookie },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.equal(preflight.headers.get('access-control-allow-credentials'), null);

    const api = await request(server.url, 'GET', API.me, {
      token: ben.token,
      headers: { origin: FRIEND },
    });
    assert.equal(api.status, 200);
    assert.equal(api.headers.get('access-control-allow-origin'), FRIEND);
    assert.equal(api.headers.get('access-control-allow-credentials'), null);
  });

  it("the socket takes the session cookie only from the server's own origin", async () => {
    const cookie = `tidings_session=${ben.token}`;
    assert.equal(await socketOutcome(server.url, { origin: FRIEND, cookie }), 'unauthorized');
    assert.equal(await socketOutcome(server.url, { origin: server.url, cookie }), 'connected');
    assert.equal(
      await socketOutcome(server.url, { origin: FRIEND }, { token: ben.token }),
      'connected',
      'an allowlisted origin may still connect with a token',
    );
  });

  it('DNS rebinding: a host name that is not this server is refused, for HTTP and sockets', async () => {
    const port = server.port;
    const rebound = `evil.example:${port}`;
    const headers = {
      host: rebound,
      origin: `http://${rebound}`,
      authorization: `Bearer ${ben.token}`,
    };
    const api = await getWithHost(server.url, API.me, headers);
    assert.equal(api.status, 403);
    assert.match(api.body, /--allowed-hosts/);
    assert.equal((await getWithHost(server.url, '/', { host: rebound })).status, 403);
    const handshake = await getWithHost(server.url, '/socket.io/?EIO=4&transport=polling', headers);
    assert.equal(handshake.status, 403);

    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      `blog.example.test:${port}`,
    ]) {
      const allowed = await getWithHost(server.url, API.me, {
        ...headers,
        host,
        origin: `http://${host}`,
      });
      assert.equal(allowed.status, 200, host);
      const polling = await getWithHost(server.url, '/socket.io/?EIO=4&transport=polling', {
        host,
        origin: `http://${host}`,
      });
      assert.equal(polling.status, 200, host);
    }
  });

  it('personal answers are not stored by caches', async () => {
    const me = await request(server.url, 'GET', API.me, { token: ana.token });
    assert.equal(me.headers.get('cache-control'), 'no-store');
    const home = await fetch(`${server.url}/`, {
      headers: { cookie: `tidings_session=${ana.token}` },
    });
    assert.equal(home.headers.get('cache-control'), 'no-store');
    await home.text();
    const anonymous = await fetch(`${server.url}/notifications`);
    assert.equal(anonymous.headers.get('cache-control'), 'no-store');
    await anonymous.text();
  });
});

describe('limits keyed by address and user', () => {
  let server: RunningServer;

  after(async () => {
    await server?.stop();
    await server?.cleanup();
  });

  it('IPv6 addresses in one /64 share one sign-in limit (through a trusted proxy)', async () => {
    server = await startServer({
      args: ['--trust-proxy', 'on'],
      env: { TIDINGS_RATE_LIMITS: 'on', TIDINGS_RATE_LOGIN_IP: '3', TIDINGS_RATE_LOGIN: '100' },
    });
    const attempt = (address: string, username: string) =>
      request(server.url, 'POST', API.login, {
        headers: { 'x-forwarded-for': address },
        json: { username, password: 'not the password', device: 'probe' },
      });
    for (let i = 1; i <= 3; i++) {
      assert.equal((await attempt(`2001:db8:1:2::${i}`, `user${i}`)).status, 401);
    }
    const limited = await attempt('2001:db8:1:2:ffff:ffff:ffff:ffff', 'user9');
    assert.equal(limited.status, 429, 'a fourth address of the same /64 is limited');
    assert.equal((await attempt('2001:db8:1:3::1', 'user9')).status, 401, 'the next /64 is not');
  });

  it('--trust-proxy on a public address is warned about at start; behind loopback it is not', async () => {
    const quiet = server; // the /64 server above: 127.0.0.1 with --trust-proxy on
    assert.doesNotMatch(quiet.output(), /warn/);
    const exposed = await startServer({ args: ['--host', '0.0.0.0', '--trust-proxy', 'on'] });
    try {
      assert.match(
        exposed.output(),
        /warn --trust-proxy is on and the server listens on 0\.0\.0\.0/,
      );
    } finally {
      await exposed.stop();
      await exposed.cleanup();
    }
  });
});
