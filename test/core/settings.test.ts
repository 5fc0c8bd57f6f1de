import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultSettings,
  parseSettings,
  SettingsPatchSchema,
} from '../../main/core/settingsSchema.js';
import { createFileSettingsStore } from '../../main/core/settings/fileSettingsStore.js';

test('a bad value falls back to its default with a warning, and the good ones survive', () => {
  const { settings, warnings } = parseSettings({
    serverUrl: 'javascript:alert(1)',
    sound: 'loud',
    quietHours: { enabled: true, start: '25:00', end: '07:00' },
    mutedTypes: ['post_liked'],
    startAtLogin: true,
  });
  assert.equal(settings.serverUrl, '');
  assert.equal(settings.sound, true);
  assert.deepEqual(settings.quietHours, defaultSettings().quietHours);
  assert.deepEqual(settings.mutedTypes, ['post_liked']);
  assert.equal(settings.startAtLogin, true);
  assert.equal(warnings.length, 3);
  assert.match(warnings.join('\n'), /serverUrl/);
  assert.match(warnings.join('\n'), /quietHours/);
});

test('settings from before accounts existed name their one account, which becomes the list', () => {
  const account = { serverUrl: 'https://blog.example', username: 'ana' };
  assert.deepEqual(parseSettings({ ...account, sound: false }).settings.accounts, [account]);
  // A list that is there is kept as it is: an empty one means everyone signed out.
  assert.deepEqual(parseSettings({ ...account, accounts: [] }).settings.accounts, []);
  assert.deepEqual(parseSettings({}).settings.accounts, []);
  const bad = parseSettings({
    ...account,
    accounts: [{ serverUrl: 'file:///etc', username: 'x' }],
  });
  assert.deepEqual(bad.settings.accounts, [], 'a bad list falls back to none');
  assert.match(bad.warnings.join('\n'), /accounts/);
});

test('a patch from the window cannot change the server, the username or the accounts', () => {
  assert.equal(SettingsPatchSchema.safeParse({ serverUrl: 'https://evil.example' }).success, false);
  assert.equal(SettingsPatchSchema.safeParse({ accounts: [] }).success, false);
  assert.equal(SettingsPatchSchema.safeParse({ mutedTypes: ['spam'] }).success, false);
  assert.equal(SettingsPatchSchema.safeParse({ sound: false }).success, true);
});

test('the file store round-trips, writes atomically and survives a corrupt file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-settings-'));
  try {
    const file = join(dir, 'nested', 'settings.json');
    const warnings: string[] = [];
    const store = createFileSettingsStore(file, (message) => warnings.push(message));
    assert.deepEqual(store.load(), defaultSettings());
    const changed = {
      ...defaultSettings(),
      serverUrl: 'http://127.0.0.1:4300',
      mutedTypes: ['new_post' as const],
    };
    store.save(changed);
    assert.deepEqual(store.load(), changed);
    assert.deepEqual(
      await readdir(join(dir, 'nested')),
      ['settings.json'],
      'no temp file left behind',
    );
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), changed);

    await writeFile(file, '{ not json');
    assert.deepEqual(store.load(), defaultSettings());
    assert.match(warnings.join('\n'), /not valid JSON/);

    await writeFile(file, JSON.stringify({ ...changed, pausedUntil: 'tomorrow' }));
    assert.equal(store.load().serverUrl, 'http://127.0.0.1:4300');
    assert.match(warnings.join('\n'), /pausedUntil/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
