/**
 * User id → the ids of their tokens (sessions): the index behind listing a user's sessions and
 * revoking them all. Nearly every user has one token, held as its id alone; a Set is made only
 * for a user with two or more. A Set per user was 10,000 Sets at the likes data, built at every
 * open (about 1 MB of heap, 270 page faults), for lookups a few account pages make.
 */
export class TokenIdsByUser {
  readonly #byUser = new Map<string, string | Set<string>>();

  add(userId: string, tokenId: string): void {
    const ids = this.#byUser.get(userId);
    if (ids === undefined) this.#byUser.set(userId, tokenId);
    else if (typeof ids !== 'string') ids.add(tokenId);
    else if (ids !== tokenId) this.#byUser.set(userId, new Set([ids, tokenId]));
  }

  delete(userId: string, tokenId: string): void {
    const ids = this.#byUser.get(userId);
    if (ids === tokenId) this.#byUser.delete(userId);
    else if (typeof ids === 'object' && ids.delete(tokenId) && ids.size === 0) {
      this.#byUser.delete(userId);
    }
  }

  /** The user's token ids, in the order they were added. */
  of(userId: string): string[] {
    const ids = this.#byUser.get(userId);
    if (ids === undefined) return [];
    return typeof ids === 'string' ? [ids] : [...ids];
  }

  /** How many users have a token (tests). */
  get users(): number {
    return this.#byUser.size;
  }
}
