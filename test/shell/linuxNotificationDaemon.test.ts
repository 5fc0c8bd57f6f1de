/**
 * Linux notification bodies against a real notification daemon: Debian's dunst, on an Xvfb display
 * and a D-Bus session of our own. Each body goes through notificationBody() (what the notifier
 * gives Electron) and then through libnotify, the library Electron's Linux notifications use, by
 * way of `notify-send`. `dunstctl history` then says what dunst made of it: its "message" is the
 * Pango markup it draws. The rendered text must be exactly what the server sent: an "&" kept, a
 * "<b>" shown as typed, and an `<a href>` never turned into a link.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notificationBody } from '../../main/electron/notificationText.js';
import { startDunst, startSessionBus, startXvfb, stopAll } from '../fixtures/desktopSession.js';

const started: ChildProcess[] = [];
let home = '';
let env: NodeJS.ProcessEnv = {};

before(async () => {
  const missing = ['dunst', 'dunstctl', 'notify-send', 'Xvfb', 'dbus-daemon'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  );
  assert.deepEqual(
    missing,
    [],
    `missing ${missing.join(', ')}: apt-get install -y dunst libnotify-bin xvfb dbus-x11`,
  );
  home = await mkdtemp(join(tmpdir(), 'tidings-dunst-'));
  const bus = await startSessionBus(home, started);
  const display = await startXvfb(started);
  await startDunst(home, bus, display, started);
  env = { ...process.env, HOME: home, DISPLAY: display, DBUS_SESSION_BUS_ADDRESS: bus };
});

after(async () => {
  stopAll(started);
  if (home) await rm(home, { recursive: true, force: true });
});

interface HistoryEntry {
  summary: { data: string };
  body: { data: string };
  message: { data: string };
}

function send(summary: string, body: string): void {
  const sent = spawnSync('notify-send', ['--app-name=Tidings', '--', summary, body], {
    env,
    encoding: 'utf8',
  });
  assert.equal(sent.status, 0, `notify-send failed: ${sent.stderr}`);
}

function history(): HistoryEntry[] {
  // Shown notifications move to the history when closed.
  spawnSync('dunstctl', ['close-all'], { env });
  const listed = spawnSync('dunstctl', ['history'], { env, encoding: 'utf8' });
  assert.equal(listed.status, 0, `dunstctl history failed: ${listed.stderr}`);
  const parsed = JSON.parse(listed.stdout) as { data: HistoryEntry[][] };
  return parsed.data.flat();
}

/** The text Pango draws for a line of markup: tags dropped, entities decoded. */
function renderedText(markup: string): { text: string; tags: string[] } {
  const tags = markup.match(/<[^>]*>/g) ?? [];
  const text = markup
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
  return { text, tags };
}

const BODIES = [
  'ana published “Tom & Jerry”',
  'ana published “Why <b>bold</b> is not bold”',
  'ana published “<a href="https://evil.example/">Click me</a>”',
  'ben liked “1 < 2 && 3 > 2”',
];

test('dunst draws each escaped body exactly as the server wrote it: no markup, no link', async () => {
  BODIES.forEach((body, index) => send(`case ${index}`, notificationBody(body, 'linux')));
  let entries: HistoryEntry[] = [];
  for (let tries = 0; tries < 50 && entries.length < BODIES.length; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    entries = history();
  }
  assert.equal(entries.length, BODIES.length, 'dunst received every notification');
  BODIES.forEach((body, index) => {
    const entry = entries.find((candidate) => candidate.summary.data === `case ${index}`);
    assert.ok(entry, `case ${index} is in dunst's history`);
    // dunst's default format is "<b>%s</b>\n%b": the summary in bold, then the body.
    const bodyMarkup = entry.message.data.split('\n').slice(1).join('\n');
    const rendered = renderedText(bodyMarkup);
    assert.deepEqual(rendered.tags, [], `case ${index}: no markup reaches the screen`);
    assert.equal(rendered.text, body, `case ${index}: the text is drawn as written`);
  });
});
