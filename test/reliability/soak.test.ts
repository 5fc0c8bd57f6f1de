/**
 * Load and soak: many connected clients (in child processes) while an author publishes steadily
 * and readers like. The server's resident memory is sampled throughout and must show no upward
 * trend, and every client must receive exactly the notifications its user should: subscribers each
 * post, the author each like, unsubscribed readers nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NotificationItem } from '../../contract/wire.js';
import {
  like,
  listNotifications,
  publish,
  signUp,
  subscribe,
  type TestUser,
} from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { waitUntil } from '../fixtures/sockets.js';
import { FULL, reportFigure, scaled } from './scale.js';
import type { SoakMessage, SoakReport, SoakStart } from './soakClients.js';

const CLIENTS = scaled(300, 2_000);
const USERS = scaled(30, 200);
const CHILDREN = scaled(2, 4);
/** TIDINGS_SOAK_SECONDS overrides the length, e.g. for a longer soak by hand. */
const DURATION_MS =
  Number(process.env.TIDINGS_SOAK_SECONDS ?? 0) * 1000 || scaled(20_000, 5 * 60_000);
const PUBLISH_EVERY_MS = 1_000;
const LIKE_EVERY_MS = 250;
/**
 * The steepest heap trend (MB per minute, after warm-up) we accept as flat. Steady publishing
 * makes the data itself grow, and the store keeps it in memory (the document, its indexes and the
 * text last written), so the allowance adds ten times the data file's own growth to a fixed slack.
 */
const SLACK_MB_PER_MIN = FULL ? 2 : 30;
const MEMORY_PER_DATA_BYTE = 10;

/** The server's live JS heap, from its own /metrics (prom-client's default metrics). */
async function heapUsedMb(url: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const bytes = Number(/^nodejs_heap_size_used_bytes (\d+)/m.exec(text)?.[1]);
  return bytes / 1024 / 1024;
}

/**
 * The heap right after collections: the lowest sample in each 10 s window. A leak raises this
 * floor; garbage waiting for the next collection only raises the peaks.
 */
function heapFloor(samples: [number, number][]): [number, number][] {
  const windows = new Map<number, [number, number]>();
  for (const [minutes, mb] of samples) {
    const key = Math.floor((minutes * 60) / 10);
    const low = windows.get(key);
    if (!low || mb < low[1]) windows.set(key, [minutes, mb]);
  }
  return [...windows.values()];
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

/** Everything in the data directory, in MB. */
async function dataMb(dataDir: string): Promise<number> {
  const sizes = await Promise.all(
    (await readdir(dataDir)).map(async (name) => (await stat(join(dataDir, name))).size),
  );
  return sizes.reduce((sum, size) => sum + size, 0) / 1024 / 1024;
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const meanX = points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - meanX) * (y - meanY), 0);
  const den = points.reduce((s, [x]) => s + (x - meanX) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

class SoakChild {
  readonly process: ChildProcess;
  constructor() {
    const entry = fileURLToPath(new URL('./soakClients.ts', import.meta.url));
    this.process = fork(entry, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }
  next(kind: SoakMessage['kind']): Promise<SoakMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`soak child: no ${kind} within 60 s`)),
        60_000,
      );
      const onMessage = (message: SoakMessage): void => {
        if (message.kind !== kind && message.kind !== 'failed') return;
        clearTimeout(timer);
        this.process.off('message', onMessage);
        if (message.kind === 'failed') reject(new Error(`soak child: ${message.message}`));
        else resolve(message);
      };
      this.process.on('message', onMessage);
    });
  }
  async start(start: SoakStart): Promise<void> {
    const ready = this.next('ready');
    this.process.send({ kind: 'start', start });
    await ready;
  }
  async report(): Promise<{ received: SoakReport; connected: number }> {
    const reply = this.next('report');
    this.process.send({ kind: 'report' });
    const message = await reply;
    if (message.kind !== 'report') throw new Error('unexpected reply');
    return message;
  }
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = once(this.process, 'exit');
    this.process.kill('SIGKILL');
    await exited;
  }
}

describe(`soak: ${CLIENTS} clients for ${DURATION_MS / 1000} s`, () => {
  let server: RunningServer;
  const children: SoakChild[] = [];

  before(async () => {
    // CLIENTS / USERS sockets per user sit right at the default cap of 10; a reconnect whose old
    // connection is not closed yet must not be refused, so the cap is raised here.
    server = await startServer({
      env: { TIDINGS_PASSWORD_COST: '10', TIDINGS_MAX_SOCKETS_PER_USER: '100' },
    });
  });

  after(async () => {
    for (const child of children) await child.stop();
    await server.stop();
    await server.cleanup();
  });

  it('memory stays flat, and every client gets every event it should and none it should not', async () => {
    const author = await signUp(server.url, 'ana');
    const readers: TestUser[] = [];
    for (let index = 0; index < USERS - 1; index += 1) {
      const reader = await signUp(server.url, `reader${index}`);
      // Two readers in three subscribe; the rest must hear nothing of new posts.
      if (index % 3 !== 2) await subscribe(server.url, reader.token);
      readers.push(reader);
    }
    const users = [author, ...readers];
    const clientUser = Array.from(
      { length: CLIENTS },
      (_, index) => users[index % users.length] as TestUser,
    );
    for (let c = 0; c < CHILDREN; c += 1) children.push(new SoakChild());
    await Promise.all(
      children.map((child, c) =>
        child.start({
          url: server.url,
          clients: clientUser
            .map((user, index) => ({ index, token: user.token }))
            .filter(({ index }) => index % CHILDREN === c),
        }),
      ),
    );
    const startSeq =
      (await listNotifications(server.url, author.token, { limit: 1 })).items[0]?.seq ?? 0;

    const samples: [number, number][] = [];
    const heapSamples: [number, number][] = [];
    const pid = server.child.pid as number;
    const started = Date.now();
    let posts = 0;
    let likes = 0;
    let latestPost: string | undefined;
    let nextPublish = started;
    let nextLike = started;
    let nextSample = started;
    let dataAtWarm: [number, number] | undefined;
    while (Date.now() - started < DURATION_MS) {
      const now = Date.now();
      if (now >= nextSample) {
        samples.push([(now - started) / 60_000, await rssMb(pid)]);
        heapSamples.push([(now - started) / 60_000, await heapUsedMb(server.url)]);
        if (dataAtWarm === undefined && now - started > DURATION_MS / 3) {
          dataAtWarm = [(now - started) / 60_000, await dataMb(server.dataDir)];
        }
        nextSample += 1_000;
      }
      if (now >= nextPublish) {
        latestPost = (await publish(server.url, author.token, `Soak post ${posts}`)).id;
        posts += 1;
        nextPublish += PUBLISH_EVERY_MS;
      }
      if (now >= nextLike && latestPost !== undefined) {
        const reader = readers[likes % readers.length] as TestUser;
        await like(server.url, reader.token, latestPost);
        likes += 1;
        nextLike += LIKE_EVERY_MS;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // What each user should have received live: their inbox on the server since the start.
    const expected = new Map<string, string[]>();
    for (const user of users) {
      const items: NotificationItem[] = [];
      let before: number | undefined;
      for (;;) {
        const page = await listNotifications(
          server.url,
          user.token,
          before === undefined ? { limit: 200 } : { before, limit: 200 },
        );
        items.push(...page.items.filter((item) => item.seq > startSeq));
        const last = page.items[page.items.length - 1];
        if (page.items.length < 200 || !last || last.seq <= startSeq) break;
        before = last.seq;
      }
      expected.set(user.username, items.map((item) => item.id).sort());
    }
    const subscribers = readers.filter((_, index) => index % 3 !== 2);
    for (const reader of subscribers) assert.equal(expected.get(reader.username)?.length, posts);
    for (const reader of readers.filter((_, index) => index % 3 === 2)) {
      assert.equal(expected.get(reader.username)?.length, 0, 'unsubscribed readers get nothing');
    }

    let mismatch = '';
    await waitUntil(
      async () => {
        const reports = await Promise.all(children.map((child) => child.report()));
        mismatch = '';
        for (const { received, connected } of reports) {
          if (connected !== Object.keys(received).length) mismatch = `${connected} still connected`;
          for (const [index, ids] of Object.entries(received)) {
            const user = clientUser[Number(index)] as TestUser;
            const want = expected.get(user.username) ?? [];
            assert.equal(new Set(ids).size, ids.length, `client ${index} got a duplicate`);
            const extra = ids.filter((id) => !want.includes(id));
            assert.deepEqual(
              extra,
              [],
              `client ${index} (${user.username}) got events not meant for it`,
            );
            if (ids.length !== want.length)
              mismatch = `client ${index}: ${ids.length} of ${want.length}`;
          }
        }
        return mismatch === '';
      },
      'every client has every event',
      30_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${mismatch}`);
    });

    const warm = samples.filter(([minutes]) => minutes * 60_000 > DURATION_MS / 3);
    const trend = slope(warm);
    const floors = heapFloor(heapSamples.filter(([minutes]) => minutes * 60_000 > DURATION_MS / 3));
    const heapTrend = slope(floors);
    const endMinutes = (Date.now() - started) / 60_000;
    const dataEnd = await dataMb(server.dataDir);
    const dataGrowth = dataAtWarm ? (dataEnd - dataAtWarm[1]) / (endMinutes - dataAtWarm[0]) : 0;
    const allowed = SLACK_MB_PER_MIN + MEMORY_PER_DATA_BYTE * dataGrowth;
    const events = clientUser.reduce(
      (sum, user) => sum + (expected.get(user.username)?.length ?? 0),
      0,
    );
    reportFigure('soak clients', CLIENTS);
    reportFigure(
      'soak posts and likes',
      `${posts} posts, ${likes} likes in ${DURATION_MS / 1000} s`,
    );
    reportFigure('soak events checked (client × notification)', events);
    reportFigure(
      'soak server RSS MB start / end / trend after warm-up',
      `${samples[0]?.[1].toFixed(1)} / ${samples[samples.length - 1]?.[1].toFixed(1)} / ${trend.toFixed(2)} MB per min`,
    );
    reportFigure(
      'soak server heap used MB start / end / trend of the post-collection floor after warm-up',
      `${heapSamples[0]?.[1].toFixed(1)} / ${heapSamples[heapSamples.length - 1]?.[1].toFixed(1)} / ${heapTrend.toFixed(2)} MB per min`,
    );
    reportFigure(
      'soak data directory MB at end / growth after warm-up',
      `${dataEnd.toFixed(2)} / ${dataGrowth.toFixed(3)} MB per min (heap trend allowed: ${allowed.toFixed(2)})`,
    );
    assert.ok(
      heapTrend < allowed,
      `the heap grows ${heapTrend.toFixed(2)} MB/min, more than ${allowed.toFixed(2)} the data explains`,
    );
    // Resident memory also holds pages V8 and the allocator keep for later; it is reported above
    // and only bounded loosely here, the heap floor being the leak signal.
    const rssStart = samples[0]?.[1] ?? 0;
    const rssEnd = samples[samples.length - 1]?.[1] ?? 0;
    assert.ok(rssEnd < rssStart * 1.5, `resident memory went from ${rssStart} to ${rssEnd} MB`);
  });
});
