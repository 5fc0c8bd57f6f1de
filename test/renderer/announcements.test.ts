/**
 * Announcements in the inbox window, on the real core and a real server: they show with their
 * text and their own icon and filter, count as unread, open their link (or are read in place when
 * they have none), can be muted in Settings, and the view passes axe-core.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import { API } from '../../contract/wire.js';
import { request, signUp, subscribe, TEST_PASSWORD, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { assertNoViolations } from '../fixtures/axe.js';
import { startInboxWindow, waitUntil, type AppUnderTest } from './harness.js';

const itemIn = (page: Page, text: string | RegExp) =>
  page.getByRole('article').filter({ hasText: text });

describe('announcements in the inbox window', () => {
  let server: RunningServer;
  let app: AppUnderTest;
  let admin: TestUser;

  before(async () => {
    server = await startServer();
    admin = await signUp(server.url, 'writer');
    const reader = await signUp(server.url, 'reader');
    await subscribe(server.url, reader.token);
    app = await startInboxWindow();
  });

  after(async () => {
    await app?.close();
    await server?.stop();
    await server?.cleanup();
  });

  it('shows announcements with their text, opens a link, reads a linkless one in place', async () => {
    const { page } = app;
    await page.getByLabel('Server').fill(server.url);
    await page.getByLabel('Username').fill('reader');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No notifications yet').waitFor();

    const link = `${server.url}/posts/status`;
    for (const body of [
      { title: 'Maintenance tonight', text: 'Down from 22:00 to 23:00.', url: link },
      { title: 'Welcome aboard' },
    ]) {
      const sent = await request(server.url, 'POST', API.announcements, {
        token: admin.token,
        json: body,
      });
      assert.equal(sent.status, 201);
    }
    const linked = itemIn(page, 'Maintenance tonight');
    await linked.waitFor();
    await itemIn(page, 'Welcome aboard').waitFor();
    await page.getByText('2 unread').waitFor();
    assert.match((await linked.getAttribute('class')) ?? '', /type-announcement/);
    assert.match((await linked.getAttribute('aria-label')) ?? '', /^Unread\. Announcement: /);
    await linked.getByText('Down from 22:00 to 23:00.').waitFor();
    await assertNoViolations(page, 'the inbox with announcements');

    await page.getByRole('button', { name: 'Announcements', exact: true }).click();
    assert.equal(await page.getByRole('article').count(), 2);

    await page.getByRole('link', { name: 'Maintenance tonight' }).click();
    await waitUntil('the link was opened', () => app.shell.opened.includes(link));
    // No link: its title is text; clicking it marks it read and opens nothing.
    assert.equal(await page.getByRole('link', { name: 'Welcome aboard' }).count(), 0);
    await itemIn(page, 'Welcome aboard').getByText('Welcome aboard', { exact: true }).click();
    await page.getByText('All caught up').waitFor();
    assert.deepEqual(app.shell.opened, [link]);
  });

  it('has a switch to mute announcements in Settings', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    const toggle = page.getByRole('switch', { name: 'Announcements' });
    await toggle.waitFor();
    const muted = await toggle.isChecked();
    await toggle.click();
    await waitUntil(
      'the setting was saved',
      () => app.core.snapshot().settings.mutedTypes.includes('announcement') === muted,
    );
    await assertNoViolations(page, 'Settings');
  });
});
