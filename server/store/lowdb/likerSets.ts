/**
 * Post id → the users in a relation with it (who like it now; whose like was notified and then
 * taken back), each user held as their interned number: a set of small ints per post instead of a
 * set of 16-character strings.
 *
 * The data file's lists are taken as they are at open and each turned into its set when its post
 * is first asked about: interning a hundred thousand likers was 0.05–0.1 s of every open at the
 * likes data, and a post's hundred cost a few µs when it is first liked or counted.
 */
import type { StringTable } from './stringTable.js';

export class LikerSets {
  /**
   * A post's users as a set, or as the data file listed them until the post is first asked about
   * (in its place in the map, so that the posts keep the order a snapshot writes them in).
   */
  readonly #byPost = new Map<string, Set<number> | readonly string[]>();

  constructor(private readonly strings: StringTable) {}

  /** The data file's lists (post id → user ids), kept to be read post by post. */
  static fromRecord(strings: StringTable, record: Record<string, readonly string[]>): LikerSets {
    const sets = new LikerSets(strings);
    for (const [postId, userIds] of Object.entries(record)) {
      if (userIds.length > 0) sets.#byPost.set(postId, userIds);
    }
    return sets;
  }

  has(postId: string, userId: string): boolean {
    const users = this.#users(postId);
    const user = this.strings.find(userId);
    return user !== undefined && (users?.has(user) ?? false);
  }

  add(postId: string, userId: string): void {
    let users = this.#users(postId);
    if (!users) {
      users = new Set();
      this.#byPost.set(postId, users);
    }
    users.add(this.strings.intern(userId));
  }

  /** Returns whether the pair was there. */
  delete(postId: string, userId: string): boolean {
    const users = this.#users(postId);
    const user = this.strings.find(userId);
    if (user === undefined || !users?.delete(user)) return false;
    if (users.size === 0) this.#byPost.delete(postId);
    return true;
  }

  deletePost(postId: string): void {
    this.#byPost.delete(postId);
  }

  count(postId: string): number {
    return this.#users(postId)?.size ?? 0;
  }

  /** The sets of users, one per post (their sizes sum to the number of pairs). */
  *values(): IterableIterator<ReadonlySet<number>> {
    for (const postId of this.#byPost.keys()) yield this.#users(postId) as Set<number>;
  }

  /** As the data file holds it: post id → user ids. */
  toRecord(): Record<string, string[]> {
    const record: Record<string, string[]> = {};
    for (const postId of this.#byPost.keys()) {
      const users = this.#users(postId) as Set<number>;
      record[postId] = [...users].map((user) => this.strings.at(user));
    }
    return record;
  }

  #users(postId: string): Set<number> | undefined {
    const users = this.#byPost.get(postId);
    if (users === undefined || users instanceof Set) return users;
    const read = new Set<number>();
    for (const userId of users) read.add(this.strings.intern(userId));
    this.#byPost.set(postId, read);
    return read;
  }
}
