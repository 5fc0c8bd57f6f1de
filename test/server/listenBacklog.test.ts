/**
 * The listening socket's backlog (server/listenBacklog.ts): after a restart thousands of clients
 * connect while the server is still busy letting the first ones in. The kernel holds up to the
 * backlog of connections for it; beyond that it drops their SYNs and each client's TCP stack
 * waits 1 s, 3 s, 7 s, … before trying again (issue 14, the storm). Through a real process: the
 * server is frozen (SIGSTOP), so it accepts nothing, and 1,000 connections must all be
 * established by the kernel all the same; with Node's default backlog of 511 only 512 were.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { after, it } from 'node:test';
import { API } from '../../contract/wire.js';
import { startServer, type RunningServer } from '../fixtures/server.js';

const CONNECTIONS = 1_000;
const raw: Socket[] = [];
const servers: RunningServer[] = [];

after(async () => {
  for (const socket of raw) socket.destroy();
  for (const server of servers) {
    server.child.kill('SIGCONT');
    await server.kill9();
    await server.cleanup();
  }
});

// Bounded: without the backlog the dropped connections never connect while the server is frozen.
it(
  'a frozen server still has 1,000 connections queued for it by the kernel',
  { timeout: 30_000 },
  async () => {
    // Linux caps a backlog at net.core.somaxconn (4096 since 5.4; 128 on older kernels).
    const cap = Number((await readFile('/proc/sys/net/core/somaxconn', 'utf8')).trim());
    assert.ok(
      cap >= CONNECTIONS,
      `net.core.somaxconn is ${cap}: this test needs at least ${CONNECTIONS} (sysctl -w net.core.somaxconn=4096)`,
    );
    const server = await startServer();
    servers.push(server);
    server.child.kill('SIGSTOP');
    // A connection the kernel dropped stays in SYN-SENT while the server is frozen and never
    // connects; 10 s is ample for the rest (a dropped SYN is retried after 1 s and 3 s, and the
    // full queue drops it again).
    let established = 0;
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(
        Array.from(
          { length: CONNECTIONS },
          () =>
            new Promise<void>((resolve, reject) => {
              const socket = connect(server.port, '127.0.0.1');
              raw.push(socket);
              socket.once('connect', () => {
                established += 1;
                resolve();
              });
              socket.once('error', reject);
            }),
        ),
      ),
      new Promise<void>((resolve) => (deadline = setTimeout(resolve, 10_000))),
    ]);
    clearTimeout(deadline);
    assert.equal(
      established,
      CONNECTIONS,
      'connections the kernel established while it was frozen',
    );

    // Thawed, it serves them: one of the queued connections gets an answer.
    server.child.kill('SIGCONT');
    const probe = raw.at(-1);
    assert.ok(probe);
    const answer = new Promise<string>((resolve) =>
      probe.once('data', (data) => resolve(String(data))),
    );
    probe.write(
      `GET ${API.health} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`,
    );
    assert.match(await answer, /^HTTP\/1\.1 200/);
  },
);
