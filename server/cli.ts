#!/usr/bin/env node
/**
 * The `tidings-server` entry point: serves by default, or runs an admin command. Every failure a
 * user can cause ends in one clear line on stderr and a non-zero exit; stack traces stay out of
 * their way (set TIDINGS_DEBUG=1 to see them).
 */
import { text } from 'node:stream/consumers';
import { RedisUnavailableError } from './cluster/redisUnavailable.js';
import { ConfigError, parseCommandLine, PROGRAM } from './config.js';
import { runAdminCommand } from './admin.js';
import { DataDirError } from './dataDirLock.js';
import { DomainError } from './domain/errors.js';
import { limitHeapGrowth } from './heapGrowth.js';
import { createLogger } from './log.js';
import { promptHidden, PromptCancelled } from './passwordPrompt.js';
import { ListenError, serve, type RunningTidings } from './serve.js';
import { MigrationRefusedError } from './migrationRefused.js';
import { SchemaTooNewError } from './store/postgres/migrate.js';
import { DatabaseInUseError } from './store/postgres/databaseInUse.js';
import { CorruptDataError, StorageUnavailableError } from './store/store.js';

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
const SHUTDOWN_LIMIT_MS = 10_000;
const STOP_CUT_SHORT =
  `the stop took longer than ${SHUTDOWN_LIMIT_MS / 1000} s and was cut short before the store ` +
  'had closed; every acknowledged change is safe (each was stored before it was answered), a ' +
  'change still being written was never acknowledged, and the next start finishes what was left';

function fail(message: string, code = EXIT_FAILURE, error?: unknown): never {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  if (process.env.TIDINGS_DEBUG && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exit(code);
}

function explain(error: unknown): never {
  if (error instanceof ConfigError) fail(`${error.message} (see --help)`, EXIT_USAGE);
  if (error instanceof DataDirError || error instanceof ListenError) fail(error.message);
  if (error instanceof RedisUnavailableError) fail(error.message);
  if (error instanceof DomainError) fail(error.message);
  if (
    error instanceof DatabaseInUseError ||
    error instanceof SchemaTooNewError ||
    error instanceof MigrationRefusedError
  ) {
    fail(error.message);
  }
  if (error instanceof CorruptDataError) {
    fail(
      `the data file is unusable and was left untouched: ${error.message}; ` +
        'restore a backup (see docs/OPERATIONS.md)',
      EXIT_FAILURE,
      error,
    );
  }
  if (error instanceof StorageUnavailableError) {
    fail(`cannot write the data: ${error.message}`, EXIT_FAILURE, error);
  }
  fail(
    `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    EXIT_FAILURE,
    error,
  );
}

/** TIDINGS_PASSWORD, else a hidden prompt (typed twice) on a terminal, else stdin's one line. */
async function readPassword(): Promise<string> {
  const fromEnv = process.env.TIDINGS_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) return (await text(process.stdin)).replace(/\r?\n$/, '');
  try {
    const password = await promptHidden('Password: ', process.stdin, process.stderr);
    const again = await promptHidden('Password again: ', process.stdin, process.stderr);
    if (password !== again) fail('the two passwords differ; nothing was changed', EXIT_USAGE);
    return password;
  } catch (error) {
    if (error instanceof PromptCancelled) fail('cancelled; nothing was changed', EXIT_USAGE);
    throw error;
  }
}

async function runServer(
  server: RunningTidings,
  log: ReturnType<typeof createLogger>,
): Promise<void> {
  let stopping = false;
  const shutdown = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log.info(`${reason}: finishing pending writes`);
    // Cut short, the close is not finished (a write in flight, the store's closing fold, the
    // data-directory lock are left to the next start), hence the failure status; but nothing a
    // client was told about is lost: docs/STORAGE.md, "A stop cut short".
    setTimeout(() => fail(STOP_CUT_SHORT), SHUTDOWN_LIMIT_MS).unref();
    server.close().then(
      () => {
        log.info('stopped; every acknowledged change is on disk');
        process.exit(exitCode);
      },
      (error: unknown) => {
        log.error('could not close cleanly', error);
        process.exit(EXIT_FAILURE);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT', 0));
  process.once('SIGTERM', () => shutdown('SIGTERM', 0));
  // The tray app runs its trial server with an IPC channel and asks it to stop over that channel,
  // which works on Windows too, where there is no SIGTERM to catch.
  if (process.send) {
    process.on('message', (message: unknown) => {
      if (isShutdownRequest(message)) shutdown('the app asked to stop', 0);
    });
    // The channel must not keep the server alive; if the app dies, the server stops cleanly.
    process.channel?.unref();
    process.once('disconnect', () => shutdown('the app went away', 0));
  }
  process.on('unhandledRejection', (error) => log.error('unhandled rejection', error));
  process.once('uncaughtException', (error) => {
    log.error('uncaught exception', error);
    shutdown('crash', EXIT_FAILURE);
  });
}

/** main/electron/localServer.ts's SHUTDOWN_MESSAGE. */
function isShutdownRequest(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'tidings:shutdown'
  );
}

async function main(): Promise<void> {
  // Everything this process creates in the data dir (snapshot, journal, temp files, backup, lock,
  // the admin socket) is its owner's alone: it holds password and token hashes.
  process.umask(0o077);
  const command = parseCommandLine(process.argv.slice(2), process.env);
  if (command.kind === 'help') {
    process.stdout.write(command.text);
    return;
  }
  if (command.kind === 'admin') {
    const line = await runAdminCommand(command.command, {
      dataDir: command.dataDir,
      databaseUrl: command.databaseUrl,
      passwordCost: command.passwordCost,
      feeds: command.feeds,
      readPassword,
    });
    process.stdout.write(`${line}\n`);
    return;
  }
  if (command.kind === 'migrate-to-postgres') {
    // Loaded only for this command, as the `pg` client it brings is (storage.ts).
    const { migrateToPostgres } = await import('./migrateToPostgres.js');
    const copied = await migrateToPostgres(command);
    process.stdout.write(`${copied}\n`);
    return;
  }
  // Before the store opens: the open's own garbage is the first that a smaller growth collects.
  limitHeapGrowth();
  const log = createLogger();
  const server = await serve(command.config, log);
  await runServer(server, log);
  process.stdout.write(`Tidings server listening on ${server.url}\n`);
}

main().catch(explain);
