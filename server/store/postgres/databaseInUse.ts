/**
 * Another node already serves this database in a way this one cannot join (nodeLock.ts). Here,
 * apart from the `pg` client, so the CLI can know it without loading that client.
 */
export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
}
