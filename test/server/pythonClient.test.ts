/**
 * A client Tidings did not write: Debian's python3-socketio (5.x, Engine.IO protocol 4), by
 * long-polling only and by WebSocket. It connects with a token, receives `sync`, and hears of a
 * new post; the server outlives it. Its first polling connect once crashed the server (issue 10).
 * And across a restart it reconnects by itself, long-polling too (issue 14's stop).
 * Needs /usr/bin/python3 with python3-socketio (scripts/install-system-packages.sh).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { publish, request, signUp, subscribe, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';

const PYTHON = '/usr/bin/python3';
const CLIENT = fileURLToPath(new URL('./clients/python_subscriber.py', import.meta.url));

interface PrintedEvent {
  event: string;
  payload: unknown;
}

describe('Debian python3-socketio as a client', () => {
  let server: RunningServer;
  let ana: TestUser;
  let ben: TestUser;

  before(async () => {
    assert.ok(existsSync(PYTHON), `${PYTHON} is missing: run scripts/install-system-packages.sh`);
    server = await startServer();
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
    await subscribe(server.url, ben.token);
  });

  after(async () => {
    assert.equal(await server.stop(), 0);
    await server.cleanup();
  });

  for (const transport of ['polling', 'websocket']) {
    it(`connects by ${transport}, receives sync and a new post`, async () => {
      const child = spawn(PYTHON, [CLIENT, server.url, ben.token, transport], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const events: PrintedEvent[] = [];
      const title = `Hello from ${transport}`;
      for await (const line of createInterface({ input: child.stdout })) {
        const printed = JSON.parse(line) as PrintedEvent;
        events.push(printed);
        if (printed.event === 'sync') await publish(server.url, ana.token, title);
      }
      const [code] = (await once(child, 'exit')) as [number | null];
      clearTimeout(killer);
      assert.equal(code, 0, `the python client failed:\n${stderr}\n${JSON.stringify(events)}`);

      const names = events.map((printed) => printed.event);
      assert.ok(names.includes('sync'), names.join());
      const connected = events.find((printed) => printed.event === 'transport');
      assert.equal(connected?.payload, transport);
      const news = events.find((printed) => printed.event === 'notification:new');
      assert.equal((news?.payload as { post?: { title?: string } }).post?.title, title);

      assert.equal(server.child.exitCode, null, `the server exited:\n${server.output()}`);
      assert.equal((await request(server.url, 'GET', '/healthz')).status, 200);
    });
  }

  for (const transport of ['polling', 'websocket']) {
    it(`reconnects by ${transport} after the server restarts, and hears of the next post`, async () => {
      const first = await startServer();
      const author = await signUp(first.url, 'ava');
      const reader = await signUp(first.url, 'rae');
      await subscribe(first.url, reader.token);
      const child = spawn(PYTHON, [CLIENT, first.url, reader.token, transport, 'reconnect'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      const events: PrintedEvent[] = [];
      const title = `After the restart, by ${transport}`;
      let second: RunningServer | undefined;
      try {
        for await (const line of createInterface({ input: child.stdout })) {
          const printed = JSON.parse(line) as PrintedEvent;
          events.push(printed);
          if (printed.event === 'sync' && second === undefined) {
            assert.equal(await first.stop(), 0, first.output());
            second = await startServer({ dataDir: first.dataDir, port: first.port });
            await publish(second.url, author.token, title);
          }
        }
        const [code] = (await once(child, 'exit')) as [number | null];
        assert.equal(code, 0, `the python client failed:\n${stderr}\n${JSON.stringify(events)}`);
        const names = events.map((printed) => printed.event);
        assert.deepEqual(
          names.filter((name) => name === 'transport' || name === 'disconnect'),
          ['transport', 'disconnect', 'transport'],
          'it was cut once and came back by itself',
        );
        const heard = events.some((printed) =>
          JSON.stringify(printed.payload).includes(JSON.stringify(title)),
        );
        assert.ok(heard, `the post after the restart reached it: ${JSON.stringify(events)}`);
      } finally {
        clearTimeout(killer);
        child.kill('SIGKILL');
        await second?.stop();
        await first.cleanup();
      }
    });
  }
});
