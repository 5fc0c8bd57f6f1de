/**
 * What each admin command does, over the domain services. The CLI runs them on a stopped server's
 * data dir (server/admin.ts) or hands them to the running server through its admin socket
 * (server/adminSocket.ts); either way they go through the same services, so a revocation on a
 * running server also ends that user's live sockets. Each returns the line to print.
 */
import { RegisterRequestSchema, describeIssues } from '../contract/wire.js';
import type { AdminCommand } from './config.js';
import type { Accounts } from './domain/accounts.js';
import { DomainError } from './domain/errors.js';

export async function executeAdminCommand(
  command: AdminCommand,
  password: string,
  accounts: Accounts,
): Promise<string> {
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
}
