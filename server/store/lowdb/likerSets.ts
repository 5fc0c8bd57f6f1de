/**
 * Post id → the users in a relation with it (who like it now; whose like was notified and then
 * taken back), each user held as their interned number: a set of small ints per post instead of a
 * set of 16-character strings.
 *
 * The data file's lists are taken as they are at open and each turned into its set when its post
 * is first asked about: interning a hundred thousand likers was 0.05–0.1 s of every open at the
 * likes data, and a post's hundred cost a few µs when it is first liked or counted. The file
 * (version 3) names each user by their position in its `users` (LikerList), so those lists are
 * arrays of small numbers, not a hundred thousand id strings for JSON.parse to make and the heap
 * to hold until each post is read.
 */
import type { LikerList } from './document.js';
import type { StringTable } from './stringTable.js';

export class LikerSets {
  /**
   * A post's users as a set, or as the data file listed them until the post is first asked about
   * (in its place in the map, so that the posts keep the order a snapshot writes them in).
   */
  readonly #byPost = new Map<string, Set<number> | Readonly<LikerList>>();

  /** `userIds`: the ids of the data file's `users`, by position, for its lists' positions. */
  constructor(
    private readonly strings: StringTable,
    private readonly userIds: readonly string[] = [],
  ) {}

  /** The data file's lists (post id → LikerList, checked by parseDocument.ts), read post by post. */
  static fromRecord(
    strings: StringTable,
    record: Record<string, Readonly<LikerList>>,
    userIds: readonly string[] = [],
  ): LikerSets {
    const sets = new LikerSets(strings, userIds);
    for (const [postId, likers] of Object.entries(record)) {
      if (likers.length > 0) sets.#byPost.set(postId, likers);
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

  /** As the data file holds it: post id → LikerList, given the file's users' positions. */
  toRecord(positions: ReadonlyMap<string, number>): Record<string, LikerList> {
    const record: Record<string, LikerList> = {};
    for (const postId of this.#byPost.keys()) {
      const users = this.#users(postId) as Set<number>;
      record[postId] = [...users].map((user) => likerOf(this.strings.at(user), positions));
    }
    return record;
  }

  #users(postId: string): Set<number> | undefined {
    const users = this.#byPost.get(postId);
    if (users === undefined || users instanceof Set) return users;
    const read = new Set<number>();
    for (const user of users) read.add(this.strings.intern(likerId(user, this.userIds)));
    this.#byPost.set(postId, read);
    return read;
  }
}

/** A user's position in the file's `users`, or their id when they are not there. */
export function likerOf(userId: string, positions: ReadonlyMap<string, number>): number | string {
  return positions.get(userId) ?? userId;
}

/** The user a LikerList entry names (a position checked by parseDocument.ts). */
export function likerId(liker: number | string, userIds: readonly string[]): string {
  return typeof liker === 'string' ? liker : (userIds[liker] as string);
}

/** A data file's lists with every user as their id (a fold, a migration). */
export function likerIdLists(
  record: Record<string, Readonly<LikerList>>,
  users: readonly { id: string }[],
): Record<string, string[]> {
  const userIds = users.map((user) => user.id);
  const lists: Record<string, string[]> = {};
  for (const [postId, likers] of Object.entries(record)) {
    lists[postId] = likers.map((liker) => likerId(liker, userIds));
  }
  return lists;
}

/** Each user's position in a data file's `users`. */
export function userPositions(users: readonly { id: string }[]): Map<string, number> {
  return new Map(users.map((user, at) => [user.id, at]));
}
