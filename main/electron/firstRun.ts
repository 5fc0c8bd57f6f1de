/**
 * First run: the user either connects to their blog's server (the window's sign-in screen does
 * that) or tries Tidings alone, on a server the app runs itself. For the trial the app creates the
 * account (the first one on a fresh server, made admin with the setup code the app gave the server,
 * so it can also publish from the blog's pages), signs in
 * and shows the password once; the app keeps only the keychain token, never the password.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import { z } from 'zod';
import { UsernameSchema } from '../../contract/wire.js';
import type { TidingsCore } from '../core/ports.js';
import { register } from '../core/serverApi.js';
import { createNetwork } from '../core/network.js';
import { startLocalServer, type LocalServer } from './localServer.js';

export type FirstRunChoice = 'connect' | 'trial' | 'later';

export async function askFirstRunChoice(parent: BrowserWindow | null): Promise<FirstRunChoice> {
  const choices: FirstRunChoice[] = ['connect', 'trial', 'later'];
  const options: Electron.MessageBoxOptions = {
    type: 'question',
    title: 'Welcome to Tidings',
    message: 'Where are your blog’s notifications?',
    detail:
      'Connect to your blog’s Tidings server, or try Tidings on this computer alone: ' +
      'the app then runs its own server, with its data in your user folder.',
    buttons: ['Connect to a server…', 'Try it on this computer', 'Later'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  };
  const { response } = parent
    ? await dialog.showMessageBox(parent, options)
    : await dialog.showMessageBox(options);
  return choices[response] ?? 'later';
}

const TrialRecordSchema = z.object({ port: z.number().int().min(1).max(65_535) });
const trialRecordPath = (userData: string): string => join(userData, 'local-server.json');

/** Whether this installation runs the trial server (so it starts it again on the next launch). */
export async function readTrialPort(userData: string): Promise<number | null> {
  try {
    const parsed = TrialRecordSchema.safeParse(
      JSON.parse(await readFile(trialRecordPath(userData), 'utf8')),
    );
    return parsed.success ? parsed.data.port : null;
  } catch {
    return null;
  }
}

/**
 * Starts the trial server on the port it had before (so the saved sign-in still matches), or on
 * a free one if that port is taken now.
 */
export async function startTrialServer(options: {
  userData: string;
  execPath: string;
  cliPath: string;
  log: (message: string) => void;
}): Promise<LocalServer> {
  const dataDir = join(options.userData, 'server-data');
  await mkdir(dataDir, { recursive: true });
  const previousPort = await readTrialPort(options.userData);
  const start = (port: number): Promise<LocalServer> =>
    startLocalServer({
      execPath: options.execPath,
      cliPath: options.cliPath,
      dataDir,
      port,
      log: options.log,
    });
  let server: LocalServer;
  try {
    server = await start(previousPort ?? 0);
  } catch (error) {
    if (previousPort === null) throw error;
    options.log(`local server: port ${previousPort} is unavailable; picking a free one`);
    server = await start(0);
  }
  await writeFile(trialRecordPath(options.userData), JSON.stringify({ port: server.port }));
  return server;
}

/** Creates the trial account and signs the core in; returns what the user needs to know. */
export async function beginTrial(
  core: TidingsCore,
  server: LocalServer,
): Promise<{ ok: true; username: string; password: string } | { ok: false; message: string }> {
  const username = trialUsername();
  const password = randomBytes(12).toString('base64url');
  // The trial server is on this computer: no proxy, no private CA. The first account on it is
  // its admin: the app proves it started the server with the setup code.
  const direct = createNetwork({ caFile: () => '', log: () => undefined });
  const created = await register(direct, server.url, {
    username,
    password,
    setupCode: server.setupCode,
  });
  if (!created.ok) {
    return {
      ok: false,
      message:
        created.code === 'conflict'
          ? `The local server already has an account "${username}". Sign in with its password.`
          : created.code === 'unreachable'
            ? `The local server did not answer: ${created.message}`
            : `The local server refused the new account: ${created.message}`,
    };
  }
  const signedIn = await core.signIn({ serverUrl: server.url, username, password });
  return signedIn.ok ? { ok: true, username, password } : { ok: false, message: signedIn.message };
}

export async function showTrialDetails(
  parent: BrowserWindow | null,
  details: { url: string; username: string; password: string },
): Promise<void> {
  const options: Electron.MessageBoxOptions = {
    type: 'info',
    title: 'Tidings is running on this computer',
    message: 'Your trial blog is ready.',
    detail:
      `Blog: ${details.url}\nUser: ${details.username}\nPassword: ${details.password}\n\n` +
      'Write this password down: it is shown once. Publish a post on the blog and watch the badge.',
    buttons: ['OK'],
  };
  if (parent) await dialog.showMessageBox(parent, options);
  else await dialog.showMessageBox(options);
}

function trialUsername(): string {
  let name = 'me';
  try {
    name = userInfo()
      .username.replace(/[^A-Za-z0-9_.-]/g, '')
      .slice(0, 32);
  } catch {
    // Some sandboxes have no passwd entry; "me" will do.
  }
  return UsernameSchema.safeParse(name).success ? name : 'tidings-user';
}
