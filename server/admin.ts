/**
 * Admin commands for self-hosters. Against a lowdb data dir they run while the server is stopped
 * (the data-dir lock makes sure of that); against PostgreSQL they run while nodes serve the same
 * database: each is a transaction like any request's. Each returns the line to print.
 */
import { RegisterRequestSchema, describeIssues } from '../contract/wire.js';
import type { AdminCommand } from './config.js';
import { DomainError } from './domain/errors.js';
import { noPush } from './domain/push.js';
import { createServices } from './services.js';
import { openStorage } from './storage.js';

export interface AdminContext {
  dataDir: string;
  /** PostgreSQL instead of the data dir. */
  databaseUrl: string | undefined;
  passwordCost: number;
  /** The new user's password (TIDINGS_PASSWORD or stdin); read only by `users add`. */
  readPassword: () => Promise<string>;
}

export async function runAdminCommand(
  command: AdminCommand,
  context: AdminContext,
): Promise<string> {
  // Read before locking, so a slow typist does not hold the data dir.
  const password = command.kind === 'users-add' ? await context.readPassword() : '';
  const storage = await openStorage(context, { role: 'admin' });
  try {
    const { store } = storage;
    // Post links are never produced by admin commands, so the public URL does not matter here.
    const { accounts } = createServices({
      store,
      push: noPush,
      publicUrl: 'http://localhost',
      passwordCost: context.passwordCost,
    });
    switch (command.kind) {
      case 'users-add': {
        const input = RegisterRequestSchema.safeParse({ username: command.username, password });
        if (!input.success) throw new DomainError('invalid_payload', describeIssues(input.error));
        const user = await accounts.addUser(input.data, {
          isAdmin: command.isAdmin,
          isAuthor: command.isAuthor,
        });
        const roles = [user.isAdmin && 'admin', user.isAuthor && 'author'].filter(Boolean);
        return `added ${user.username}${roles.length ? ` (${roles.join(', ')})` : ''}`;
      }
      case 'users-make-author': {
        const user = await accounts.makeAuthor(command.username);
        return `${user.username} is now an author`;
      }
      case 'tokens-revoke': {
        const count = await accounts.revokeAllTokens(command.username);
        return `revoked ${count} token${count === 1 ? '' : 's'} of ${command.username}`;
      }
      case 'registration': {
        await accounts.setRegistrationOpen(command.open);
        return `registration is now ${command.open ? 'open' : 'closed'}`;
      }
    }
  } finally {
    await storage.close();
  }
}
