/**
 * The running server's admin socket: a Unix socket in the data dir (`admin.sock`, mode 0600 in a
 * 0700 directory), so exactly the account that owns the data can use it, with no password and no
 * network port. The CLI sends one admin command as one JSON line and reads one JSON line back.
 * It exists because the data dir lock keeps the CLI from writing the data itself while the server
 * runs, and revoking a stolen token should not need downtime (docs/OPERATIONS.md).
 */
import { chmod, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { ErrorCodeSchema, UsernameSchema, type WireError } from '../contract/wire.js';
import type { AdminCommand } from './config.js';
import { PRIVATE_FILE_MODE } from './dataDirPermissions.js';
import { DomainError } from './domain/errors.js';
import type { Logger } from './log.js';

export const ADMIN_SOCKET_NAME = 'admin.sock';
/** sun_path holds 108 bytes on Linux and 104 on macOS, the terminating zero included. */
const MAX_SOCKET_PATH_BYTES = 103;
/** One command and a password are far below this; anything bigger is not a client of ours. */
const MAX_REQUEST_BYTES = 16 * 1024;
const REPLY_TIMEOUT_MS = 30_000;

const AdminCommandSchema: z.ZodType<AdminCommand> = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('users-add'),
    username: z.string().max(100),
    isAuthor: z.boolean(),
    isAdmin: z.boolean(),
  }),
  z.strictObject({ kind: z.literal('users-make-author'), username: UsernameSchema }),
  z.strictObject({ kind: z.literal('tokens-revoke'), username: UsernameSchema }),
  z.strictObject({ kind: z.literal('registration'), open: z.boolean() }),
  z.strictObject({ kind: z.literal('feeds-add'), url: z.string().min(1).max(2_000) }),
  z.strictObject({ kind: z.literal('feeds-list') }),
  z.strictObject({ kind: z.literal('feeds-remove'), id: z.string().min(1).max(100) }),
]);

const RequestSchema = z.strictObject({
  command: AdminCommandSchema,
  password: z.string().max(1000),
});

const ReplySchema = z.union([
  z.strictObject({ ok: z.literal(true), line: z.string() }),
  z.strictObject({
    ok: z.literal(false),
    error: z.strictObject({ code: ErrorCodeSchema, message: z.string() }),
  }),
]);
type Reply = z.infer<typeof ReplySchema>;

/** The server has no admin socket to talk to (stopped, older, or it could not open one). */
export class AdminSocketUnavailable extends Error {
  override readonly name = 'AdminSocketUnavailable';
}

export const adminSocketPath = (dataDir: string): string => join(dataDir, ADMIN_SOCKET_NAME);

export type AdminCommandRunner = (command: AdminCommand, password: string) => Promise<string>;

/** Reads one newline-terminated line of at most `maxBytes`, or rejects. */
function readLine(socket: Socket, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end >= 0) resolve(buffered.slice(0, end));
      else if (Buffer.byteLength(buffered) > maxBytes) reject(new Error('the line is too long'));
    });
    socket.once('end', () => reject(new Error('the connection ended before a whole line')));
    socket.once('error', reject);
  });
}

/**
 * Listens for admin commands while the server runs. Resolves to undefined (after saying why in the
 * log) where a Unix socket cannot be used; the CLI then asks the operator to stop the server.
 */
export async function listenAdminSocket(
  dataDir: string,
  run: AdminCommandRunner,
  log: Logger,
): Promise<{ close(): Promise<void> } | undefined> {
  const path = adminSocketPath(dataDir);
  if (process.platform === 'win32' || Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    log.info(`admin commands need the server stopped: no admin socket at ${path}`);
    return undefined;
  }
  // The caller holds the data dir lock, so a socket file left here is a dead server's.
  await rm(path, { force: true });
  const server: Server = createServer((socket) => {
    socket.setTimeout(REPLY_TIMEOUT_MS, () => socket.destroy());
    const answer = (reply: Reply): void => {
      socket.end(`${JSON.stringify(reply)}\n`);
    };
    readLine(socket, MAX_REQUEST_BYTES)
      .then(async (line) => {
        const request = RequestSchema.safeParse(JSON.parse(line));
        if (!request.success) {
          const error = { code: 'invalid_payload' as const, message: 'not an admin command' };
          answer({ ok: false, error });
          return;
        }
        const { command, password } = request.data;
        try {
          const outcome = await run(command, password);
          log.info(`admin command over ${ADMIN_SOCKET_NAME}: ${outcome}`);
          answer({ ok: true, line: outcome });
        } catch (error) {
          answer({ ok: false, error: wireErrorOf(error, log) });
        }
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    log.info(`admin commands need the server stopped: cannot listen on ${path}: ${String(error)}`);
    return 'failed' as const;
  });
  if (!server.listening) return undefined;
  // The umask already made it private; say so explicitly, it is the only lock on this door.
  await chmod(path, PRIVATE_FILE_MODE);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

function wireErrorOf(error: unknown, log: Logger): WireError {
  if (error instanceof DomainError) return error.toWire();
  log.error('an admin command failed', error);
  return { code: 'internal', message: 'the server could not run this command; see its log' };
}

/** Sends one command to the running server; its refusal comes back as a DomainError. */
export async function sendAdminCommand(
  dataDir: string,
  command: AdminCommand,
  password: string,
): Promise<string> {
  const socket = createConnection(adminSocketPath(dataDir));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          ['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(error.code ?? '')
            ? new AdminSocketUnavailable(error.message)
            : error,
        ),
      );
    });
    socket.setTimeout(REPLY_TIMEOUT_MS, () =>
      socket.destroy(new Error('the server did not answer')),
    );
    socket.write(`${JSON.stringify({ command, password })}\n`);
    const reply = ReplySchema.parse(JSON.parse(await readLine(socket, MAX_REQUEST_BYTES)));
    if (!reply.ok) throw new DomainError(reply.error.code, reply.error.message);
    return reply.line;
  } finally {
    socket.destroy();
  }
}
