/** The few HTTP calls the orchestrator makes itself: publish, scrape metrics. */
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

/** Publishes a post whose title carries the wall-clock time of the request. */
export function publishStamped(serverUrl: string, token: string): Promise<string> {
  return call(new URL(API.posts, serverUrl).href, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: `${BENCH_TITLE_PREFIX}${wallNow()}`, body: 'A bench post.' }),
  });
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
