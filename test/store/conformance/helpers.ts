/** One-line helpers so each conformance test reads like the story it tells; any driver. */
import type { ImportedEntry, Store, UserRecord } from '../../../server/store/store.js';

export function addUser(store: Store, username: string, isAuthor = false): Promise<UserRecord> {
  return store.createUser({ username, passwordHash: 'not-a-real-hash', isAdmin: false, isAuthor });
}

export async function publish(store: Store, author: UserRecord, title: string) {
  return store.publishPost({ authorId: author.id, title, body: `${title}, the body` });
}

/** The user's whole inbox, oldest first, as `type:title` strings that are easy to compare. */
export async function inboxOf(store: Store, user: UserRecord): Promise<string[]> {
  const entries = await store.listInbox(user.id, { afterSeq: 0, limit: 10_000 });
  return entries.map(({ event }) => `${event.type}:${event.postTitle}`);
}

/** A followed feed's entry, recognised by `key`. */
export const feedEntry = (key: string): ImportedEntry => ({
  key,
  title: `Entry ${key}`,
  html: `<p>${key}</p>`,
  excerpt: key,
  url: `https://blog.example/${key}`,
});
