/**
 * Fetches one feed, politely and defensively. Politeness: a User-Agent that names Tidings,
 * conditional GET with the validators from the last answer, and the server's own hints
 * (Cache-Control max-age, Retry-After) handed back to the scheduler. Defence: at most 5 redirects,
 * each one checked again (scheme and, unless private feeds are allowed, the resolved address), a
 * body cap of 5 MB counted as it streams in, and one deadline for the whole exchange, so a slow
 * drip or a server that never answers costs one timer and nothing else.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress, publicOnlyLookup, refusalFor } from './addressGuard.js';

export const FETCH_LIMITS = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
} as const;

export interface FetchOptions {
  userAgent: string;
  allowPrivate: boolean;
  /** For the whole exchange, redirects included. */
  timeoutMs: number;
  etag?: string | undefined;
  lastModified?: string | undefined;
}

export interface ServerHints {
  /** Seconds from Cache-Control max-age (s-maxage ignored: we are not a shared cache). */
  maxAgeSeconds?: number;
  /** Seconds from Retry-After (a delay or an HTTP date). */
  retryAfterSeconds?: number;
}

export type FetchResult =
  | ({ kind: 'not-modified' } & ServerHints)
  | ({
      kind: 'fetched';
      body: string;
      contentType: string;
      /** The URL after redirects. */
      url: string;
      etag?: string;
      lastModified?: string;
    } & ServerHints);

/** The feed could not be fetched; `message` is what the admin page shows. */
export class FeedFetchError extends Error {
  override readonly name = 'FeedFetchError';
  constructor(
    message: string,
    readonly hints: ServerHints = {},
  ) {
    super(message);
  }
}

const ACCEPT =
  'application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1';

export function checkFeedUrl(candidate: string): URL {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new FeedFetchError(`"${candidate}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedFetchError(`only http(s) feeds can be followed, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new FeedFetchError('feed URLs with a user name or password are not followed');
  }
  return url;
}

function hintsOf(response: IncomingMessage, now: number): ServerHints {
  const hints: ServerHints = {};
  const cacheControl = response.headers['cache-control'] ?? '';
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  if (maxAge?.[1]) hints.maxAgeSeconds = Number(maxAge[1]);
  const retryAfter = response.headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = /^\s*\d+\s*$/.test(retryAfter)
      ? Number(retryAfter)
      : Math.ceil((Date.parse(retryAfter) - now) / 1000);
    if (Number.isFinite(seconds) && seconds > 0) hints.retryAfterSeconds = seconds;
  }
  return hints;
}

/** One GET, no redirect following; resolves with the response once the headers are in. */
function get(url: URL, options: FetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Node skips `lookup` for IP literals, so those are judged here.
  if (!options.allowPrivate && isIP(host) && !isPublicAddress(host)) {
    return Promise.reject(new FeedFetchError(refusalFor(host, host).message));
  }
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: ACCEPT,
    'accept-encoding': 'identity',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  const requestOptions: RequestOptions = {
    method: 'GET',
    headers,
    signal,
    agent: false,
    ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, requestOptions, resolve);
    request.on('error', reject);
    request.end();
  });
}

async function readBody(response: IncomingMessage): Promise<string> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > FETCH_LIMITS.maxBodyBytes) {
    response.destroy();
    throw new FeedFetchError(`the feed is larger than ${FETCH_LIMITS.maxBodyBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FETCH_LIMITS.maxBodyBytes) {
      response.destroy();
      throw new FeedFetchError(`the feed is larger than ${FETCH_LIMITS.maxBodyBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof FeedFetchError) return error.message;
  if (error instanceof Error && error.name === 'BlockedAddressError') return error.message;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return `no complete answer within ${Math.round(timeoutMs / 1000)} s`;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ECONNRESET') return 'the connection was reset';
  return error instanceof Error ? error.message : String(error);
}

export async function fetchFeed(
  address: string,
  options: FetchOptions,
  now: () => number = Date.now,
): Promise<FetchResult> {
  let url = checkFeedUrl(address);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await get(url, options, signal);
      const status = response.statusCode ?? 0;
      const hints = hintsOf(response, now());
      if (status >= 300 && status < 400 && status !== 304) {
        response.resume();
        const location = response.headers.location;
        if (!location) throw new FeedFetchError(`a ${status} redirect without a Location`);
        if (redirects >= FETCH_LIMITS.maxRedirects) {
          throw new FeedFetchError(`more than ${FETCH_LIMITS.maxRedirects} redirects`);
        }
        url = checkFeedUrl(new URL(location, url).toString());
        continue;
      }
      if (status === 304) {
        response.resume();
        return { kind: 'not-modified', ...hints };
      }
      if (status < 200 || status > 299) {
        response.resume();
        throw new FeedFetchError(`the server answered ${status}`, hints);
      }
      const body = await readBody(response);
      const etag = response.headers.etag;
      const lastModified = response.headers['last-modified'];
      return {
        kind: 'fetched',
        body,
        contentType: response.headers['content-type'] ?? '',
        url: url.toString(),
        ...(etag ? { etag } : {}),
        ...(lastModified ? { lastModified } : {}),
        ...hints,
      };
    }
  } catch (error) {
    if (error instanceof FeedFetchError && !signal.aborted) throw error;
    throw new FeedFetchError(
      describeNetworkError(signal.aborted ? signal.reason : error, options.timeoutMs),
    );
  }
}
