#!/usr/bin/env -S node --import tsx
/**
 * `npm run demo`: a local Tidings server with two sample users and a few posts, which then
 * publishes a post every 20 s (and likes the one before it), so a newcomer sees the tray's badge
 * and notifications move within a minute. It talks to the server only through its CLI and public
 * HTTP API, as any script would. Data lives in ./data/demo (git-ignored), so a second run reuses it.
 * Stops on Ctrl-C, or after --max-posts.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  API,
  type HttpErrorBody,
  type LoginResponse,
  type Post,
  type PostListResponse,
} from '../contract/wire.js';
import { startLocalServer, type LocalServer } from '../main/electron/localServer.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const PASSWORD = 'tidings-demo';
const AUTHOR = 'ana';
const READER = 'ben';
const TOPICS = [
  'Why the tray badge stops at 9+',
  'Fan-out on read, explained with coffee',
  'Quiet hours for night owls',
  'What a sequence number buys you',
  'Reconnecting after sleep without losing a thing',
  'A week of notifications, summarised',
];

const OptionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  interval: z.coerce.number().min(1).max(3600),
  maxPosts: z.coerce.number().int().min(1).max(10_000),
});

class DemoError extends Error {}

async function main(): Promise<void> {
  const options = readOptions();
  const dataDir = join(ROOT, 'data', 'demo');
  await mkdir(dataDir, { recursive: true });
  const server = await startDemoServer(dataDir, options.port);
  let timer: NodeJS.Timeout | undefined;
  const stop = async (code: number): Promise<never> => {
    if (timer) clearInterval(timer);
    await server.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    const author = await ensureUser(server, AUTHOR);
    const reader = await ensureUser(server, READER);
    await call(server.url, 'POST', API.subscription, reader);
    const existing = await call<PostListResponse>(server.url, 'GET', `${API.posts}?limit=1`);
    if (existing.total === 0) {
      await publish(server.url, author, 'Welcome to the Tidings demo blog');
      await publish(server.url, author, 'How the tray app gets its notifications');
    }

    console.log(`
Tidings demo server: ${server.url}
  Sign in from the tray app with this server URL and
    ${READER} / ${PASSWORD}   (a subscriber: gets a notification for each new post)
    ${AUTHOR} / ${PASSWORD}   (the author: gets a notification when ${READER} likes a post)
  A new post every ${options.interval} s, up to ${options.maxPosts}. Ctrl-C stops the demo.
`);

    let published = 0;
    let previous: Post | null = null;
    timer = setInterval(() => {
      void (async () => {
        const title = `${TOPICS[published % TOPICS.length]} (#${published + 1})`;
        const post = await publish(server.url, author, title);
        console.log(`published "${post.title}"`);
        if (previous) {
          await call(server.url, 'POST', API.like(previous.id), reader);
          console.log(`${READER} liked "${previous.title}"`);
        }
        previous = post;
        published += 1;
        if (published >= options.maxPosts) {
          console.log(`published ${published} posts; the demo is done.`);
          await stop(0);
        }
      })().catch((error: unknown) => {
        console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
      });
    }, options.interval * 1000);
  } catch (error) {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

function readOptions(): z.infer<typeof OptionsSchema> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4300' },
      interval: { type: 'string', default: '20' },
      'max-posts': { type: 'string', default: '180' },
    },
  });
  const parsed = OptionsSchema.safeParse({
    port: values.port,
    interval: values.interval,
    maxPosts: values['max-posts'],
  });
  if (!parsed.success) {
    throw new DemoError(
      `bad option: ${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** On the usual port if it is free, else on any free port. */
async function startDemoServer(dataDir: string, port: number): Promise<LocalServer> {
  const start = (p: number) =>
    startLocalServer({
      execPath: process.execPath,
      cliPath: join(ROOT, 'dist', 'server', 'cli.js'),
      dataDir,
      port: p,
      log: () => undefined,
    });
  try {
    return await start(port);
  } catch (error) {
    if (port === 0) throw error;
    console.log(`port ${port} is busy; using a free one`);
    return start(0);
  }
}

/** The setup code makes the first account (the author) admin; later sign-ups ignore it. */
async function ensureUser(server: LocalServer, username: string): Promise<string> {
  const baseUrl = server.url;
  const register = await fetch(new URL(API.register, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD, setupCode: server.setupCode }),
  });
  if (!register.ok && register.status !== 409) {
    throw new DemoError(`could not create ${username}: ${await errorMessage(register)}`);
  }
  const login = await call<LoginResponse>(baseUrl, 'POST', API.login, undefined, {
    username,
    password: PASSWORD,
    device: 'tidings demo script',
  });
  return login.token;
}

function publish(baseUrl: string, token: string, title: string): Promise<Post> {
  return call<Post>(baseUrl, 'POST', API.posts, token, {
    title,
    body: `${title}.\n\nPublished by the Tidings demo script at ${new Date().toISOString()}.`,
  });
}

async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new DemoError(`${method} ${path}: ${await errorMessage(response)}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as HttpErrorBody | null;
  return body?.error.message ?? `${response.status} ${response.statusText}`;
}

main().catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
