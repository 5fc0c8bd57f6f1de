/**
 * Several accounts in the inbox window, on the several-account core the tray app runs and two
 * real servers: adding an account from Settings with the sign-in form, the account list with each
 * one's state, items labelled with their account, the account filter, "Mark all read" acting on
 * what the filter shows, and removing an account.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { publish, signUp, subscribe, unreadCount, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { startAccountsWindow, waitUntil, type AppUnderTest } from './harness.js';
import type { AccountsCore } from '../../main/core/ports.js';

interface Blog {
  server: RunningServer;
  writer: TestUser;
  reader: TestUser;
  label: string;
}

async function startBlog(): Promise<Blog> {
  const server = await startServer();
  const writer = await signUp(server.url, 'writer');
  const reader = await signUp(server.url, 'reader');
  await subscribe(server.url, reader.token);
  return { server, writer, reader, label: `reader@${new URL(server.url).host}` };
}

describe('several accounts in the inbox window', () => {
  let app: AppUnderTest<AccountsCore>;
  let blogA: Blog;
  let blogB: Blog;

  before(async () => {
    blogA = await startBlog();
    blogB = await startBlog();
    app = await startAccountsWindow();
  });

  after(async () => {
    await app?.close();
    for (const blog of [blogA, blogB]) {
      await blog?.server.stop();
      await blog?.server.cleanup();
    }
  });

  const fillSignIn = async (blog: Blog): Promise<void> => {
    const { page } = app;
    await page.getByLabel('Server').fill(blog.server.url);
    await page.getByLabel('Username').fill('reader');
    await page.getByLabel('Password').fill(blog.reader.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('with one account, the inbox has no account filter and no labels, and Settings lists it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await fillSignIn(blogA);
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await publish(blogA.server.url, blogA.writer.token, 'Alpha one');
    await page.getByRole('article').filter({ hasText: 'Alpha one' }).waitFor();
    assert.equal(await page.getByLabel('Account', { exact: true }).isVisible(), false);
    assert.equal(await page.locator('.item-account').count(), 0);

    await page.getByRole('button', { name: 'Settings' }).click();
    const list = page.getByRole('region', { name: 'Accounts' });
    await list.getByText(blogA.label).waitFor();
    await waitUntil('A connected', async () =>
      (await list.locator('.account-state').innerText()).startsWith('Connected'),
    );
  });

  it('"Add account" opens an empty sign-in form, and the new account joins the list', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('heading', { name: 'Add account' }).waitFor();
    assert.equal(await page.getByLabel('Server').inputValue(), '');
    assert.equal(await page.getByLabel('Username').inputValue(), '');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();

    await page.getByRole('button', { name: 'Add account' }).click();
    await fillSignIn(blogB);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    const list = page.getByRole('region', { name: 'Accounts' });
    await list.getByText(blogB.label).waitFor();
    await waitUntil('both accounts connected', async () => {
      const states = await list.locator('.account-state').allInnerTexts();
      return states.length === 2 && states.every((state) => state.startsWith('Connected'));
    });
    assert.deepEqual(await list.locator('.account-name').allInnerTexts(), [
      blogA.label,
      blogB.label,
    ]);
    // The one-account "Signed in as" block gives way to the list.
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).isVisible(), false);
  });

  it('labels each item with its account, filters by account, and marks read what the filter shows', async () => {
    const { page } = app;
    await publish(blogB.server.url, blogB.writer.token, 'Beta one');
    await page.getByRole('button', { name: 'Back to inbox' }).click();
    await page.getByRole('article').filter({ hasText: 'Beta one' }).waitFor();
    const alpha = page.getByRole('article').filter({ hasText: 'Alpha one' });
    const beta = page.getByRole('article').filter({ hasText: 'Beta one' });
    assert.equal(await alpha.locator('.item-account').innerText(), blogA.label);
    assert.equal(await beta.locator('.item-account').innerText(), blogB.label);
    assert.match((await beta.getAttribute('aria-label')) ?? '', new RegExp(`, ${blogB.label}$`));
    await page.getByText('2 unread').waitFor();

    const filter = page.getByLabel('Account', { exact: true });
    await filter.selectOption({ label: `${blogB.label} (1)` });
    await waitUntil('only B’s items', async () => (await page.getByRole('article').count()) === 1);
    assert.equal(await beta.count(), 1);
    await page.getByText('1 unread').waitFor();

    await page.getByRole('button', { name: 'Mark all read' }).click();
    await waitUntil(
      'B read on its server',
      async () => (await unreadCount(blogB.server.url, blogB.reader.token)) === 0,
    );
    assert.equal(await unreadCount(blogA.server.url, blogA.reader.token), 1);

    await filter.selectOption('');
    await waitUntil(
      'both accounts’ items',
      async () => (await page.getByRole('article').count()) === 2,
    );
    await alpha.getByRole('button', { name: /^Mark read/ }).click();
    await waitUntil(
      'A read on its server',
      async () => (await unreadCount(blogA.server.url, blogA.reader.token)) === 0,
    );
    await page.getByText('All caught up').waitFor();
  });

  it('"Remove account" signs it out: its items leave the inbox and the filter goes away', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: `Remove account ${blogB.label}` }).click();
    const list = page.getByRole('region', { name: 'Accounts' });
    await waitUntil('one account left', async () => (await list.locator('li').count()) === 1);
    await page.getByText(`Removed ${blogB.label}.`).waitFor();
    assert.deepEqual(
      app.core.snapshot().accounts?.map((account) => account.username + ' ' + account.serverUrl),
      [`reader ${blogA.server.url}`],
    );
    await page.getByRole('button', { name: 'Back to inbox' }).click();
    await page.getByRole('article').filter({ hasText: 'Alpha one' }).waitFor();
    assert.equal(await page.getByRole('article').filter({ hasText: 'Beta one' }).count(), 0);
    assert.equal(await page.getByLabel('Account', { exact: true }).isVisible(), false);
    assert.deepEqual(app.errors, []);
  });
});
