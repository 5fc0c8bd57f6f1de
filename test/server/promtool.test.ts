/**
 * Prometheus' own linter on a live /metrics (issue 10: it warned on gauges named `_total`, and the
 * prefix hid Node's standard metric names from the usual dashboards). Needs `promtool` (Debian's
 * prometheus package; scripts/install-system-packages.sh).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, it } from 'node:test';
import { publish, request, signUp } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { connectSocket } from '../fixtures/sockets.js';

let server: RunningServer;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server.stop();
  await server.cleanup();
});

it('promtool check metrics passes clean, and Node metrics have their standard names', async () => {
  const version = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  assert.equal(
    version.error,
    undefined,
    'promtool is missing: run scripts/install-system-packages.sh',
  );
  // Every labelled series present: a socket, a pushed event, a write, some requests.
  const ana = await signUp(server.url, 'ana');
  const { socket } = await connectSocket(server.url, ana.token);
  await publish(server.url, ana.token, 'Measured');
  const metrics = await request<string>(server.url, 'GET', '/metrics');
  socket.close();
  assert.equal(metrics.status, 200);

  const check = spawnSync('promtool', ['check', 'metrics'], {
    input: metrics.body,
    encoding: 'utf8',
  });
  assert.equal(check.status, 0, `promtool: ${check.stdout}${check.stderr}`);
  assert.equal(`${check.stdout}${check.stderr}`.trim(), '', 'no warnings either');

  for (const name of [
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'nodejs_heap_size_used_bytes',
    'nodejs_eventloop_lag_p99_seconds',
  ]) {
    assert.match(metrics.body, new RegExp(`^${name} `, 'm'), name);
  }
  assert.doesNotMatch(metrics.body, /^tidings_process_/m);
});
