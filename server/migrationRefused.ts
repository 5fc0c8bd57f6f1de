/**
 * `migrate-to-postgres` cannot start; the message says why and what to do, in one line. Here,
 * apart from the copy itself, so the CLI can know it without loading the `pg` client.
 */
export class MigrationRefusedError extends Error {
  override readonly name = 'MigrationRefusedError';
}
