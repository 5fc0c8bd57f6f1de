/**
 * What each IPC channel accepts and which core method it forwards to, as plain functions: the
 * sender check, argument validation and error shaping are all here, so they are testable in Node.
 * ipc.ts only binds them to ipcMain.
 *
 * The renderer is treated as untrusted input: every argument is validated with zod before the core
 * sees it, and a refusal is an ActionResult the UI can show, never a thrown stack trace.
 */
import { z } from 'zod';
import { IPC_CHANNELS, type ActionResult, type SignInRequest } from '../../contract/ipc.js';
import { LIMITS, describeIssues } from '../../contract/wire.js';
import type { AccountsCore } from '../core/ports.js';
import { MAX_ACCOUNTS, SettingsPatchSchema } from '../core/settingsSchema.js';
import { isTrustedSender, type IpcSender } from './security.js';

const ItemIdSchema = z.string().min(1).max(100);
/** An account's id: `<server-origin>#<username>` (contract/accounts.ts). */
const AccountIdSchema = z
  .string()
  .min(1)
  .max(2048 + 1 + LIMITS.usernameMax);
const ServerUrlSchema = z.string().trim().min(1).max(2048);

export const SignInRequestSchema = z.strictObject({
  serverUrl: ServerUrlSchema,
  username: z.string().min(1).max(LIMITS.usernameMax),
  password: z.string().min(1).max(LIMITS.passwordMax),
}) satisfies z.ZodType<SignInRequest>;

/** A week is the longest pause the tray menu or settings offer; 0 resumes. */
const PauseMinutesSchema = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 60);

type Channel = Exclude<
  (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS],
  typeof IPC_CHANNELS.snapshot
>;
type Route = (args: readonly unknown[]) => Promise<unknown>;

/** One handler per invokable channel. A missing or extra channel fails to compile. */
export function createIpcRoutes(core: AccountsCore): Record<Channel, Route> {
  return {
    [IPC_CHANNELS.getSnapshot]: withArgs(z.tuple([]), async () => core.snapshot()),
    [IPC_CHANNELS.checkServer]: withArgs(z.tuple([ServerUrlSchema]), ([url]) =>
      core.checkServer(url),
    ),
    [IPC_CHANNELS.signIn]: withArgs(z.tuple([SignInRequestSchema]), ([request]) =>
      core.signIn(request),
    ),
    [IPC_CHANNELS.signOut]: withArgs(z.tuple([]), () => core.signOut()),
    [IPC_CHANNELS.markRead]: withArgs(
      z.tuple([
        z.array(ItemIdSchema).min(1).max(LIMITS.markReadIdsMax),
        AccountIdSchema.optional(),
      ]),
      ([ids, account]) => core.markRead(ids, account),
    ),
    [IPC_CHANNELS.markAllRead]: withArgs(
      z.tuple([z.array(AccountIdSchema).max(MAX_ACCOUNTS).optional()]),
      ([accounts]) => core.markAllRead(accounts),
    ),
    [IPC_CHANNELS.loadOlder]: withArgs(z.tuple([]), () => core.loadOlder()),
    [IPC_CHANNELS.openItem]: withArgs(
      z.tuple([ItemIdSchema, AccountIdSchema.optional()]),
      ([id, account]) => core.openItem(id, account),
    ),
    [IPC_CHANNELS.updateSettings]: withArgs(z.tuple([SettingsPatchSchema]), ([patch]) =>
      core.updateSettings(patch),
    ),
    [IPC_CHANNELS.pauseNotifications]: withArgs(z.tuple([PauseMinutesSchema]), ([minutes]) =>
      core.pauseNotifications(minutes),
    ),
    [IPC_CHANNELS.dismissNotice]: withArgs(z.tuple([z.number().int().min(0)]), ([id]) =>
      core.dismissNotice(id),
    ),
    [IPC_CHANNELS.removeAccount]: withArgs(z.tuple([AccountIdSchema]), ([id]) =>
      core.removeAccount(id),
    ),
    [IPC_CHANNELS.checkForUpdates]: withArgs(z.tuple([]), () => core.checkForUpdates()),
    [IPC_CHANNELS.installUpdate]: withArgs(z.tuple([]), () => core.installUpdate()),
  };
}

function withArgs<Args extends readonly unknown[]>(
  schema: z.ZodType<Args>,
  forward: (args: Args) => Promise<unknown>,
): Route {
  return async (args) => {
    const parsed = schema.safeParse(args);
    if (!parsed.success) return refusal('invalid_payload', describeIssues(parsed.error));
    return forward(parsed.data);
  };
}

export function refusal(code: string, message: string): ActionResult {
  return { ok: false, code, message };
}

export function isInvokableChannel(
  routes: Record<Channel, Route>,
  channel: string,
): channel is Channel {
  return Object.hasOwn(routes, channel);
}

/**
 * Runs one IPC call: refuses untrusted senders and unknown channels, validates, forwards, and turns
 * a core failure into a refusal (the details go to the log, not to the window).
 */
export async function dispatchIpc(
  routes: Record<Channel, Route>,
  call: { channel: string; sender: IpcSender; args: readonly unknown[] },
  trusted: { webContentsId: number | null; appPageUrl: string },
  log: (message: string) => void,
): Promise<unknown> {
  if (!isTrustedSender(call.sender, trusted)) {
    log(`ipc: refused ${call.channel} from ${call.sender.frameUrl ?? 'a closed frame'}`);
    return refusal('forbidden', 'This window may not talk to Tidings.');
  }
  if (!isInvokableChannel(routes, call.channel)) {
    return refusal('not_found', `Unknown request: ${call.channel}`);
  }
  try {
    return await routes[call.channel](call.args);
  } catch (error) {
    log(
      `ipc: ${call.channel} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return refusal('internal', 'Something went wrong in Tidings. The details are in its log.');
  }
}
