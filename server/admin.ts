/**
 * Admin commands for self-hosters, run against a data dir while the server is stopped (the data
 * dir lock makes sure of that). Each returns the line to print.
 */
import { RegisterRequestSchema, describeIssues } from '../contract/wire.js';
import type { AdminCommand, FeedConfig } from './config.js';
import { lockDataDir } from './dataDirLock.js';
import { DomainError } from './domain/errors.js';
import { noPush } from './domain/push.js';
import { createServices } from './services.js';
import { createLogger } from './log.js';
import { createLowdbStore } from './store/lowdb/index.js';

export interface AdminContext {
  dataDir: string;
  passwordCost: number;
  feeds: FeedConfig;
  /** The new user's password (TIDINGS_PASSWORD or stdin); read only by `users add`. */
  readPassword: () => Promise<string>;
}

export async function runAdminCommand(
  command: AdminCommand,
  context: AdminContext,
): Promise<string> {
  // Read before locking, so a slow typist does not hold the data dir.
  const password = command.kind === 'users-add' ? await context.readPassword() : '';
  const lock = lockDataDir(context.dataDir);
  try {
    const store = createLowdbStore({ dataDir: context.dataDir });
    await store.open();
    try {
      // Post links are never produced by admin commands, so the public URL does not matter here.
      const { accounts, feeds } = createServices({
        store,
        push: noPush,
        publicUrl: 'http://localhost',
        passwordCost: context.passwordCost,
        feeds: context.feeds,
        log: createLogger(),
      });
      // What an operator does from the command line is done as the oldest admin account.
      const operator = async () => {
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
    } finally {
      await store.close();
    }
  } finally {
    lock.release();
  }
}
