/**
 * The application menu (main/electron/appMenu.ts): copy and paste work everywhere; a packaged
 * build has no Reload or DevTools (Electron's default menu gives them, behind Alt).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appMenuTemplate } from '../../main/electron/appMenu.js';

const roles = (platform: NodeJS.Platform, isPackaged: boolean): string =>
  JSON.stringify(appMenuTemplate({ platform, isPackaged }));

test('packaged: the Edit roles, and no reload or developer tools, on every OS', () => {
  for (const platform of ['win32', 'linux', 'darwin'] as const) {
    const menu = roles(platform, true);
    assert.match(menu, /"role":"editMenu"/, platform);
    assert.doesNotMatch(menu, /reload|toggleDevTools|forceReload/i, platform);
  }
  assert.match(roles('darwin', true), /"role":"appMenu"/, 'macOS keeps its app menu (Quit, Hide)');
  assert.doesNotMatch(roles('win32', true), /appMenu/);
});

test('unpackaged: reload and the developer tools are there for development', () => {
  assert.match(roles('linux', false), /"role":"toggleDevTools"/);
  assert.match(roles('linux', false), /"role":"reload"/);
});
