/**
 * Admin commands for self-hosters. Against a lowdb data dir they run on the data itself while the
 * server is stopped (the data-dir lock makes sure nothing else writes it); while it runs, the lock
 * is held, and the command goes to the running server through its admin socket in the data dir
 * instead, so a stolen token can be revoked without downtime. Against PostgreSQL they run while
 * nodes serve the same database: each is a transaction like any request's. Each returns the line
 * to print.
 */
import type { AdminCommand, FeedConfig } from './config.js';
import { executeAdminCommand } from './adminCommands.js';
import { AdminSocketUnavailable, sendAdminCommand } from './adminSocket.js';
import { DataDirInUseError } from './dataDirLock.js';
import { noPush } from './domain/push.js';
import { createLogger } from './log.js';
import { createServices } from './services.js';
import { openStorage, type OpenedStorage } from './storage.js';

export interface AdminContext {
  dataDir: string;
  /** PostgreSQL instead of the data dir. */
  databaseUrl: string | undefined;
  passwordCost: number;
  /** `feeds add` fetches the feed once, under the same rules as the server. */
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
  let storage: OpenedStorage;
  try {
    storage = await openStorage(context, { role: 'admin' });
  } catch (error) {
    if (context.databaseUrl !== undefined || !(error instanceof DataDirInUseError)) throw error;
    try {
      return await sendAdminCommand(context.dataDir, command, password);
    } catch (sendError) {
      // An older server, or one that could not open its socket: the lock's message says what to do.
      if (sendError instanceof AdminSocketUnavailable) throw error;
      throw sendError;
    }
  }
  try {
    // Post links are never produced by admin commands, so the public URL does not matter here.
    const { accounts, feeds } = createServices({
      store: storage.store,
      push: noPush,
      publicUrl: 'http://localhost',
      passwordCost: context.passwordCost,
      feeds: context.feeds,
      log: createLogger(),
    });
    return await executeAdminCommand(command, password, { accounts, feeds, store: storage.store });
  } finally {
    await storage.close();
  }
}
