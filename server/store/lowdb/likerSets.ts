/**
 * Post id → the users in a relation with it (who like it now; whose like was notified and then
 * taken back), each user held as their interned number: a set of small ints per post instead of a
 * set of 16-character strings.
 */
import type { StringTable } from './stringTable.js';

export class LikerSets {
  readonly #byPost = new Map<string, Set<number>>();

  constructor(private readonly strings: StringTable) {}

  has(postId: string, userId: string): boolean {
    const user = this.strings.find(userId);
    return user !== undefined && (this.#byPost.get(postId)?.has(user) ?? false);
  }

  add(postId: string, userId: string): void {
    let users = this.#byPost.get(postId);
    if (!users) {
      users = new Set();
      this.#byPost.set(postId, users);
    }
    users.add(this.strings.intern(userId));
  }

  /** Every user of `userIds` in a relation with the post (the open's load, one lookup a post). */
  addAll(postId: string, userIds: readonly string[]): void {
    if (userIds.length === 0) return;
    let users = this.#byPost.get(postId);
    if (!users) {
      users = new Set();
      this.#byPost.set(postId, users);
    }
    for (const userId of userIds) users.add(this.strings.intern(userId));
  }

  /** Returns whether the pair was there. */
  delete(postId: string, userId: string): boolean {
    const user = this.strings.find(userId);
    const users = this.#byPost.get(postId);
    if (user === undefined || !users?.delete(user)) return false;
    if (users.size === 0) this.#byPost.delete(postId);
    return true;
  }

  deletePost(postId: string): void {
    this.#byPost.delete(postId);
  }

  count(postId: string): number {
    return this.#byPost.get(postId)?.size ?? 0;
  }

  /** The sets of users, one per post (their sizes sum to the number of pairs). */
  values(): IterableIterator<ReadonlySet<number>> {
    return this.#byPost.values();
  }

  /** As the data file holds it: post id → user ids. */
  toRecord(): Record<string, string[]> {
    const record: Record<string, string[]> = {};
    for (const [postId, users] of this.#byPost) {
      record[postId] = [...users].map((user) => this.strings.at(user));
    }
    return record;
  }
}
