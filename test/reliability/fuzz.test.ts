/**
 * Hostile input, generated: fast-check throws random methods, paths, query strings, headers and
 * bodies of every shape and size at every HTTP route (the API and the blog's pages), and random
 * payloads, acks and event names at the socket. The server never answers 5xx, never dies, and a
 * refused request changes nothing: the data directory is byte-identical before and after it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { API, ERROR_CODES, LIMITS, type HttpErrorBody } from '../../contract/wire.js';
import { login, publish, request, signUp, subscribe, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import {
  connectSocket,
  createSocket,
  nextDisconnect,
  roundTrip,
  type TidingsSocket,
} from '../fixtures/sockets.js';
import { reportFigure, scaled } from './scale.js';

const HTTP_RUNS = scaled(600, 10_000);
const SOCKET_RUNS = scaled(300, 5_000);
const HANDSHAKE_RUNS = scaled(40, 500);

/** Everything the server keeps, except its own lock file: what "no state change" compares. */
async function dataSnapshot(dataDir: string): Promise<string> {
  // Files only: the running server's admin socket lives there too.
  const names = (await readdir(dataDir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name !== 'tidings.pid')
    .map((entry) => entry.name)
    .sort();
  const parts = await Promise.all(
    names.map(async (name) => `${name}\n${await readFile(join(dataDir, name), 'utf8')}`),
  );
  return parts.join('\n');
}

/** fast-check's own report prints whole 64 KB bodies; this one keeps a failure readable. */
function shortReport<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const example = JSON.stringify(details.counterexample, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 80
      ? `${value.slice(0, 80)}… (${value.length} chars)`
      : value,
  );
  throw new Error(
    `failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}):\n` +
      `${details.errorInstance instanceof Error ? details.errorInstance.message.slice(0, 600) : String(details.errorInstance)}\n` +
      `counterexample: ${example?.slice(0, 1_000)}`,
  );
}

describe('fuzzing every route and event', () => {
  let server: RunningServer;
  let ana: TestUser;
  let ben: TestUser;
  let postId: string;
  let notificationId: string;

  before(async () => {
    server = await startServer();
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
    await subscribe(server.url, ben.token);
    postId = (await publish(server.url, ana.token, 'Fuzz target')).id;
    const { socket, sync } = await connectSocket(server.url, ben.token);
    notificationId = sync.items[0]?.id ?? '';
    socket.close();
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  const anyText = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('', '..', '%00', '%ZZ', '<script>', '🙂', 'ana', 'ADMIN', 'a'.repeat(300)),
  );
  const idLike = (): fc.Arbitrary<string> =>
    fc.oneof(
      fc.constant(postId),
      anyText.map((text) => encodeURIComponent(text)),
    );

  const paths = (): fc.Arbitrary<string> =>
    fc.oneof(
      fc.constantFrom(
        API.health,
        API.metrics,
        API.register,
        API.login,
        API.logout,
        API.me,
        API.posts,
        API.subscription,
        API.notifications,
        API.unreadCount,
        API.markRead,
        '/',
        '/signin',
        '/signup',
        '/signout',
        '/compose',
        '/admin',
        '/admin/authors',
        '/notifications',
        '/notifications/read',
        '/subscription',
      ),
      idLike().map((id) => `/api/posts/${id}`),
      idLike().map((id) => `/api/posts/${id}/like`),
      idLike().map((id) => `/posts/${id}`),
      idLike().map((id) => `/posts/${id}/edit`),
      idLike().map((id) => `/posts/${id}/like`),
      idLike().map((id) => `/posts/${id}/delete`),
      anyText.map((name) => `/api/users/${encodeURIComponent(name)}/roles`),
      // `//x` would be a host to fetch(), not a path: keep one leading slash.
      fc.webPath().map((path) => `/${path.replace(/^\/+/, '')}`),
    );

  const query = fc.oneof(
    fc.constant(''),
    fc
      .dictionary(fc.constantFrom('page', 'limit', 'before', 'next', 'x', 'page[]'), anyText, {
        maxKeys: 3,
      })
      .map((entries) => `?${new URLSearchParams(entries)}`),
  );

  const jsonValue = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record(
      {
        title: anyText,
        body: anyText,
        username: anyText,
        password: anyText,
        device: anyText,
        author: fc.oneof(fc.boolean(), anyText),
        ids: fc.array(
          fc.oneof(
            anyText,
            fc.constant(null).map(() => notificationId),
          ),
          { maxLength: 5 },
        ),
        all: fc.oneof(fc.boolean(), fc.constant('true')),
      },
      { requiredKeys: [] },
    ),
  );
  const body = fc.oneof(
    fc.constant(undefined),
    jsonValue.map((value) => ({ raw: JSON.stringify(value) ?? 'null' })),
    anyText.map((raw) => ({ raw })),
    fc.integer({ min: LIMITS.httpBodyBytes - 10, max: LIMITS.httpBodyBytes * 2 }).map((size) => ({
      raw: JSON.stringify({ title: 't', body: 'x'.repeat(size) }),
    })),
  );
  const contentType = fc.constantFrom(
    'application/json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'application/json; charset=utf-16',
    'multipart/form-data; boundary=x',
  );

  it(`${HTTP_RUNS} random HTTP requests: no 5xx, no crash, refusals change nothing`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
        paths(),
        query,
        body,
        contentType,
        fc.constantFrom<string | undefined>(undefined, 'ana', 'ben', 'garbage', 'Basic x'),
        fc.constantFrom<string | undefined>(undefined, undefined, undefined, 'http://evil.example'),
        async (method, path, search, payload, type, who, origin) => {
          const token = who === 'ana' ? ana.token : who === 'ben' ? ben.token : undefined;
          const headers: Record<string, string> = { 'content-type': type };
          if (who === 'garbage') headers.authorization = 'Bearer not-a-token';
          if (who === 'Basic x') headers.authorization = 'Basic x';
          if (origin !== undefined) headers.origin = origin;
          const beforeState = await dataSnapshot(server.dataDir);
          const result = await request(server.url, method, `${path}${search}`, {
            ...(token === undefined ? {} : { token }),
            ...(payload === undefined || method === 'GET' || method === 'HEAD' ? {} : payload),
            headers,
          });
          statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
          assert.ok(
            result.status < 500,
            `${method} ${path}: ${result.status} ${JSON.stringify(result.body)}`,
          );
          if (result.status >= 400) {
            assert.equal(
              await dataSnapshot(server.dataDir),
              beforeState,
              `${method} ${path} was refused (${result.status}) yet changed the data`,
            );
            if (path.startsWith('/api/') && typeof result.body === 'object' && method !== 'HEAD') {
              const error = (result.body as HttpErrorBody).error;
              assert.ok(ERROR_CODES.includes(error.code), `a known error code: ${error.code}`);
              assert.ok(!/\n\s+at /.test(error.message), 'no stack trace');
            }
          }
        },
      ),
      { numRuns: HTTP_RUNS, reporter: shortReport },
    );
    assert.equal(server.child.exitCode, null, 'the server is still running');
    reportFigure('fuzz HTTP requests tried', HTTP_RUNS);
    reportFigure('fuzz HTTP statuses seen', JSON.stringify(Object.fromEntries(statuses)));
  });

  it(`${SOCKET_RUNS} random socket events: acks are typed, refusals change nothing`, async () => {
    // A fresh sign-in: the HTTP fuzzing above may have signed ben's first token out (a random
    // POST to /api/auth/logout as ben is a legitimate request).
    const { token } = await login(server.url, 'ben');
    const { socket } = await connectSocket(server.url, token);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('notification:mark-read', 'notification:list', 'sync', 'anything', ''),
          fc.oneof(
            jsonValue,
            fc.anything({ maxDepth: 3 }),
            fc.constant({ ids: [notificationId] }),
            fc
              .string({ minLength: 1, maxLength: 3 })
              .map((s) => s.repeat(LIMITS.socketMessageBytes)),
          ),
          async (event, payload) => {
            const beforeState = await dataSnapshot(server.dataDir);
            if (!socket.connected) {
              // An oversized message closes this connection only; open it again.
              const back = new Promise((resolve) => socket.once('sync', resolve));
              socket.connect();
              await back;
            }
            if (JSON.stringify(payload ?? null).length > LIMITS.socketMessageBytes) {
              // Over the limit: socket.io closes this connection (and only this one).
              const closed = nextDisconnect(socket);
              (socket as unknown as { emit(name: string, payload: unknown): void }).emit(
                event,
                payload,
              );
              await closed;
              return;
            }
            if (!['notification:mark-read', 'notification:list'].includes(event)) {
              // Nobody answers unknown events: the round trip after it proves it was shrugged off.
              (socket as unknown as { emit(name: string, payload: unknown): void }).emit(
                event,
                payload,
              );
              await roundTrip(socket);
              return;
            }
            const ack = (await (socket as unknown as TidingsSocket)
              .timeout(5_000)
              // The typed events would refuse these payloads: sending them anyway is the point.
              .emitWithAck(event as 'notification:list', payload as never)
              .catch(() => 'no answer')) as unknown;
            assert.notEqual(ack, 'no answer', `${event} got no ack`);
            const reply = ack as { ok: boolean; error?: { code: string } };
            if (!reply.ok) {
              assert.ok(ERROR_CODES.includes(reply.error?.code as never), JSON.stringify(reply));
              assert.notEqual(reply.error?.code, 'internal');
              assert.equal(await dataSnapshot(server.dataDir), beforeState, 'refused, unchanged');
            }
          },
        ),
        { numRuns: SOCKET_RUNS, reporter: shortReport },
      );
    } finally {
      socket.close();
    }
    reportFigure('fuzz socket events tried', SOCKET_RUNS);
  });

  it(`${HANDSHAKE_RUNS} random socket handshakes: refused with a reason, or accepted with a real token`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          // Only objects: socket.io itself drops a handshake whose auth is not one.
          fc.object({ maxDepth: 2 }),
          fc.record({ token: anyText, since: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }),
          fc.record({ token: fc.constant(ben.token), since: fc.anything({ maxDepth: 1 }) }),
        ),
        async (auth) => {
          const socket = createSocket(server.url, auth);
          try {
            const outcome = await new Promise<string>((resolve) => {
              const timer = setTimeout(() => resolve('nothing'), 5_000);
              socket.once('sync', () => (clearTimeout(timer), resolve('sync')));
              socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
                clearTimeout(timer);
                resolve(error.data?.code ?? `no code: ${error.message}`);
              });
              socket.connect();
            });
            assert.ok(
              ['sync', 'unauthorized', 'invalid_payload'].includes(outcome),
              `handshake ${JSON.stringify(auth)?.slice(0, 200)} → ${outcome}`,
            );
          } finally {
            socket.close();
          }
        },
      ),
      { numRuns: HANDSHAKE_RUNS, reporter: shortReport },
    );
    assert.equal(server.child.exitCode, null, 'the server is still running');
    reportFigure('fuzz socket handshakes tried', HANDSHAKE_RUNS);
  });
});
