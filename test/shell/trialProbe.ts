/**
 * One launch of the built app.js with the stand-in `electron` module, for firstRunTrial.test.ts:
 * run inside a throwaway D-Bus session with a real gnome-keyring, it reports what the user would
 * see as `RESULT <json>` lines, then quits the app. A script, not a test: the parent test owns the
 * keyring daemon and the temp HOME, and runs this twice (first launch, second launch).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { routeElectronToStandIn } from './electronLoader.js';
import { app, recorded } from './electronStandIn.js';
import {
  API,
  type LoginResponse,
  type Post,
  type UnreadCountResponse,
} from '../../contract/wire.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const userData = process.env['TIDINGS_USER_DATA'] ?? '';

const report = (step: string, value: unknown): void => {
  process.stdout.write(`RESULT ${JSON.stringify({ step, value })}\n`);
};

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 50));
  }
  report('timeout', what);
  return false;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(new URL('/healthz', url))).ok;
  } catch {
    return false;
  }
}

/**
 * Another user publishes on the trial blog: the tray shows 1, one notification appears, and its
 * click opens the post and marks it read on the server.
 */
async function newPostStory(): Promise<void> {
  const detail = (recorded.dialogs[0] as unknown[] | undefined)?.at(-1) as { detail?: string };
  const [, url, username, password] =
    /Blog: (\S+)\nUser: (\S+)\nPassword: (\S+)/.exec(detail?.detail ?? '') ?? [];
  if (!url || !username || !password) return report('story', 'no trial details');
  const api = async <T>(
    path: string,
    method: string,
    token?: string,
    body?: unknown,
  ): Promise<T> => {
    const response = await fetch(new URL(path, url), {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const owner = await api<LoginResponse>(API.login, 'POST', undefined, { username, password });
  await api(API.subscription, 'POST', owner.token);
  await api(API.register, 'POST', undefined, { username: 'writer', password: 'writer-password' });
  await api(API.userRoles('writer'), 'PUT', owner.token, { author: true });
  const writer = await api<LoginResponse>(API.login, 'POST', undefined, {
    username: 'writer',
    password: 'writer-password',
  });
  // Nothing pops up while the user looks at the inbox: put it away first.
  recorded.windows[0]?.hide();
  const post = await api<Post>(API.posts, 'POST', writer.token, {
    title: 'Hello from the trial blog',
    body: 'A first post.',
  });
  await until(() => tray()?.tooltip === 'Tidings: 1 unread', 'tooltip "1 unread"');
  await until(() => recorded.notifications.length === 1, 'one notification');
  report('storyTooltip', tray()?.tooltip);
  report('storyTrayImage', tray()?.image.path);
  const toast = recorded.notifications[0];
  report('storyNotification', toast?.options ?? null);
  toast?.emit('click');
  await until(
    async () =>
      (await api<UnreadCountResponse>(API.unreadCount, 'GET', owner.token)).unreadCount === 0,
    'read on the server',
  );
  await until(() => tray()?.tooltip === 'Tidings: 0 unread', 'tooltip back to 0');
  report('storyOpened', globalThis.tidingsE2E?.openedUrls ?? []);
  report('storyPostUrl', post.url);
  report('storyTooltipAfterClick', tray()?.tooltip);
}

routeElectronToStandIn();
await import(pathToFileURL(join(ROOT, 'dist', 'main', 'electron', 'app.js')).href);

const tray = () => recorded.trays[0];
await until(() => tray() !== undefined, 'the tray');
const online = await until(
  () => tray()?.tooltip === 'Tidings: 0 unread' || recorded.errorBoxes.length > 0,
  'online or an error',
);
report('tooltip', tray()?.tooltip ?? null);
report('errorBoxes', recorded.errorBoxes);
if (online && process.env['TIDINGS_FIRST_RUN'] === 'trial') {
  await until(() => recorded.dialogs.length > 0, 'the trial dialog');
}
report(
  'dialogs',
  recorded.dialogs.map((args) => {
    const options = (args as unknown[]).at(-1) as { message?: string; detail?: string };
    return { message: options.message ?? '', detail: options.detail ?? '' };
  }),
);
report('windowShown', recorded.windows[0]?.isVisible() ?? false);
if (process.env['TIDINGS_PROBE_STORY'] === '1') await newPostStory();
const trialRecord = await readFile(join(userData, 'local-server.json'), 'utf8').catch(() => null);
report('trialRecord', trialRecord);
const port = trialRecord ? (JSON.parse(trialRecord) as { port: number }).port : null;
const url = port ? `http://127.0.0.1:${port}` : null;
report('serverAnswers', url ? await answers(url) : false);

app.quit();
await until(() => recorded.exited, 'the app to exit');
report('exited', recorded.exited);
report('serverAnswersAfterQuit', url ? await answers(url) : false);
process.exit(0);
