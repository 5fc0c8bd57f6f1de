/**
 * The other side of the stories: an author who publishes and readers who like, talking to the
 * real server over its HTTP API. Kept next to the core's tests until test/fixtures/api.ts holds
 * the shared helpers.
 */
import { API, type LoginResponse, type Post } from '../../contract/wire.js';

export interface BlogUser {
  username: string;
  password: string;
  token: string;
}

async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return text === '' ? null : JSON.parse(text);
}

/** Registers and signs in. The first user on a fresh server is its admin and an author. */
export async function registerUser(
  baseUrl: string,
  username: string,
  password = 'correct horse battery',
): Promise<BlogUser> {
  await call(baseUrl, 'POST', API.register, { username, password });
  const login = (await call(baseUrl, 'POST', API.login, {
    username,
    password,
    device: 'test',
  })) as LoginResponse;
  return { username, password, token: login.token };
}

export async function subscribe(baseUrl: string, user: BlogUser): Promise<void> {
  await call(baseUrl, 'POST', API.subscription, undefined, user.token);
}

export async function publish(baseUrl: string, author: BlogUser, title: string): Promise<Post> {
  return (await call(
    baseUrl,
    'POST',
    API.posts,
    { title, body: `${title}, in full.` },
    author.token,
  )) as Post;
}

export async function like(baseUrl: string, user: BlogUser, postId: string): Promise<void> {
  await call(baseUrl, 'POST', API.like(postId), undefined, user.token);
}

export async function revokeToken(baseUrl: string, token: string): Promise<void> {
  await call(baseUrl, 'POST', API.logout, undefined, token);
}

export async function unreadOnServer(baseUrl: string, user: BlogUser): Promise<number> {
  const body = (await call(baseUrl, 'GET', API.unreadCount, undefined, user.token)) as {
    unreadCount: number;
  };
  return body.unreadCount;
}
