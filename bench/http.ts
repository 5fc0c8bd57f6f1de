/** The few HTTP calls the orchestrator makes itself: publish, scrape metrics. */
import { request } from 'node:http';
import { API } from '../contract/wire.js';
import { BENCH_TITLE_PREFIX } from './protocol.js';
import { wallNow } from './wallClock.js';

const TIMEOUT_MS = 15_000;

async function call(url: string, init: RequestInit): Promise<string> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${text}`);
  return text;
}

/** The author's request headers for a JSON body. */
function authorHeaders(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

/** A post whose title carries the wall-clock time it was made at, as JSON. */
function stampedPost(): string {
  return JSON.stringify({ title: `${BENCH_TITLE_PREFIX}${wallNow()}`, body: 'A bench post.' });
}

/** Publishes a post whose title carries the wall-clock time of the request. */
export function publishStamped(serverUrl: string, token: string): Promise<string> {
  return call(new URL(API.posts, serverUrl).href, {
    method: 'POST',
    headers: authorHeaders(token),
    body: stampedPost(),
  });
}

export interface TimedPublish {
  /** From the send until the TCP connection was up (undefined: it never was). */
  connectMs: number | undefined;
  /** From the send until the whole answer was read (undefined: none). */
  answerMs: number | undefined;
  status: number | undefined;
  /** Why there was no answer, when it was not the timeout (a refused or reset connection). */
  failure?: string;
}

/**
 * The same publish on a connection of its own, telling the TCP connect (a dropped SYN and its
 * retries) apart from the wait after it (the accept queue, which the kernel's handshake does not
 * show, and the server). For the storm's publishes; never rejects: a publish with no answer
 * within the timeout says how far it got.
 */
export function publishStampedTimed(serverUrl: string, token: string): Promise<TimedPublish> {
  const body = stampedPost();
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const sent = performance.now();
  const since = (): number => performance.now() - sent;
  let connectMs: number | undefined;
  return new Promise((resolve) => {
    const failed = (error: Error): void =>
      resolve({
        connectMs,
        answerMs: undefined,
        status: undefined,
        ...(timeout.aborted ? {} : { failure: error.message }),
      });
    const outgoing = request(
      new URL(API.posts, serverUrl),
      {
        method: 'POST',
        agent: false,
        headers: { ...authorHeaders(token), 'content-length': Buffer.byteLength(body) },
        signal: timeout,
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ connectMs, answerMs: since(), status: response.statusCode }),
        );
        response.on('error', failed);
      },
    );
    outgoing.on('socket', (socket) => socket.once('connect', () => (connectMs = since())));
    outgoing.on('error', failed);
    outgoing.end(body);
  });
}

/** "171 ms (connected after 3 ms)", or how far a publish with no answer got. */
export function describeTimedPublish(publish: TimedPublish): string {
  const connected =
    publish.connectMs === undefined
      ? 'never connected'
      : `connected after ${publish.connectMs.toFixed(0)} ms`;
  if (publish.failure !== undefined) return `failed: ${publish.failure} (${connected})`;
  if (publish.answerMs === undefined) return `no answer within ${TIMEOUT_MS} ms (${connected})`;
  const status = publish.status === 201 ? '' : `, HTTP ${publish.status}`;
  return `${publish.answerMs.toFixed(0)} ms (${connected}${status})`;
}

/**
 * Gauges from ONE scrape of /metrics, by full name (undefined when absent). One scrape, because
 * prom-client resets the event-loop histogram each time it is read.
 */
export async function scrapeMetrics(
  serverUrl: string,
  names: string[],
): Promise<(number | undefined)[]> {
  const text = await call(new URL(API.metrics, serverUrl).href, { method: 'GET' });
  const lines = text.split('\n');
  return names.map((name) => {
    const line = lines.find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.slice(name.length + 1));
  });
}
