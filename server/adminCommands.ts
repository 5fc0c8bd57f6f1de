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
import type { Feeds } from './domain/feeds.js';
import type { AccountStore, UserRecord } from './store/store.js';

export interface AdminServices {
  accounts: Accounts;
  feeds: Feeds;
  /** The command line acts as the oldest admin account (e.g. imported posts are in its name). */
  store: Pick<AccountStore, 'findFirstAdmin'>;
}

export async function executeAdminCommand(
  command: AdminCommand,
  password: string,
  { accounts, feeds, store }: AdminServices,
): Promise<string> {
  const operator = async (): Promise<UserRecord> => {
    const admin = await store.findFirstAdmin();
    if (!admin) {
      throw new DomainError(
        'forbidden',
        'there is no admin yet: add one with "users add NAME --admin"',
      );
    }
    return admin;
  };
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
    case 'feeds-add': {
      const feed = await feeds.add(await operator(), command.url);
      return `following ${feed.title} (${feed.url}) as feed ${feed.id}`;
    }
    case 'feeds-list': {
      const list = await feeds.list(await operator());
      if (list.length === 0) return 'no feeds are followed';
      return list
        .map((feed) =>
          [
            feed.id,
            feed.status,
            feed.url,
            feed.title,
            `last poll ${feed.lastPolledAt ?? 'never'}`,
            ...(feed.lastError ? [`error: ${feed.lastError}`] : []),
          ].join('\t'),
        )
        .join('\n');
    }
    case 'feeds-remove': {
      await feeds.remove(await operator(), command.id);
      return `stopped following feed ${command.id}`;
    }
  }
}
