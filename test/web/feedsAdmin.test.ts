/**
 * The admin page's announcements and feeds, in real Chromium: an admin follows a feed, refreshes
 * it and removes it, sees a failing feed's reason, and sends an announcement; the pages involved
 * (admin, an imported post, the notifications list with an announcement) pass axe-core.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { API } from '../../contract/wire.js';
import { listNotifications, request, signUp, subscribe, type TestUser } from '../fixtures/api.js';
import { rss, type SampleEntry } from '../fixtures/feedDocuments.js';
import { startFeedServer, type FeedServer } from '../fixtures/feedServer.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { assertNoViolations } from '../fixtures/axe.js';
import { artifactPath, launchChromium } from './browser.js';
import { signIn } from './blogUi.js';

let server: RunningServer;
let blog: FeedServer;
let browser: Browser;
let page: Page;
let admin: TestUser;
let reader: TestUser;

const entry = (n: number): SampleEntry => ({
  id: `entry-${n}`,
  title: `Elsewhere ${n}`,
  link: `https://blog.example/${n}`,
  html: `<p>Entry <strong>${n}</strong></p>`,
});

before(async () => {
  blog = await startFeedServer();
  blog.set('/feed', { kind: 'feed', body: rss('Other blog', [entry(1)]) });
  server = await startServer({ args: ['--allow-private-feeds', 'on', '--feed-timeout', '2'] });
  admin = await signUp(server.url, 'root');
  reader = await signUp(server.url, 'ben');
  await subscribe(server.url, reader.token);
  browser = await launchChromium();
  page = await (await browser.newContext()).newPage();
  await signIn(page, server.url, 'root');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await server?.cleanup();
  await blog?.stop();
});

test('an admin follows a feed, refreshes it, sees it fail, and removes it', async () => {
  await page.goto(`${server.url}/admin`);
  await page.getByText('No feeds yet.').waitFor();
  await page.getByLabel('Feed address').fill('ftp://nope.example/feed');
  await page.getByRole('button', { name: 'Follow feed' }).click();
  await page.locator('[data-error-for="url"]').waitFor();
  await page.getByLabel('Feed address').fill(`${blog.url}/feed`);
  await page.getByRole('button', { name: 'Follow feed' }).click();
  await page.getByText('Following Other blog.').waitFor();
  const row = page.getByRole('row', { name: /Other blog/ });
  assert.match((await row.textContent()) ?? '', /OK/);

  blog.set('/feed', { kind: 'feed', body: rss('Other blog', [entry(2), entry(1)]) });
  await page.getByRole('button', { name: 'Refresh Other blog' }).click();
  await page.getByText('Other blog: 1 new entry.').waitFor();
  const [imported] = (await listNotifications(server.url, reader.token)).items;
  assert.equal(imported?.type === 'new_post' && imported.post.url, 'https://blog.example/2');

  blog.set('/feed', { kind: 'feed', body: '<html><body>gone</body></html>' });
  await page.getByRole('button', { name: 'Refresh Other blog' }).click();
  await page.getByText(/Other blog is failing: /).waitFor();
  const failing = page.getByRole('row', { name: /Other blog/ });
  assert.match((await failing.textContent()) ?? '', /Failing/);
  assert.match((await failing.textContent()) ?? '', /web page, not a feed/);
  await assertNoViolations(page, 'the admin page with a failing feed');
  await page.screenshot({ path: await artifactPath('admin-feeds.png'), fullPage: true });

  // The imported post's page names its source and passes axe too.
  const posts = await request<{ items: { id: string; title: string }[] }>(
    server.url,
    'GET',
    API.posts,
  );
  const post = posts.body.items.find((item) => item.title === 'Elsewhere 2');
  await page.goto(`${server.url}/posts/${post?.id}`);
  await page.getByRole('link', { name: 'Read the original' }).waitFor();
  assert.equal(
    await page.getByRole('link', { name: 'Read the original' }).getAttribute('href'),
    'https://blog.example/2',
  );
  await assertNoViolations(page, 'an imported post');

  await page.goto(`${server.url}/admin`);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Remove Other blog' }).click();
  await page.getByText('Stopped following the feed; its posts stay.').waitFor();
  await page.getByText('No feeds yet.').waitFor();
});

test('an admin sends an announcement from the admin page; the reader sees it in the bell list', async () => {
  await page.goto(`${server.url}/admin`);
  await page.getByLabel('Title').fill('Maintenance tonight');
  await page.getByLabel('Text (optional)').fill('Down from 22:00.');
  await page.getByLabel('Only to (optional)').fill('nobody');
  await page.getByRole('button', { name: 'Send announcement' }).click();
  await page.locator('[data-error-for="to"]').waitFor();
  assert.equal(await page.getByLabel('Title').inputValue(), 'Maintenance tonight', 'text kept');
  await page.getByLabel('Only to (optional)').fill('');
  await page.getByRole('button', { name: 'Send announcement' }).click();
  await page.getByText('Announcement sent to every subscriber.').waitFor();
  const [item] = (await listNotifications(server.url, reader.token)).items;
  assert.equal(item?.type, 'announcement');

  const readerPage = await (await browser.newContext()).newPage();
  await signIn(readerPage, server.url, 'ben');
  await readerPage.goto(`${server.url}/notifications`);
  const main = readerPage.locator('#main');
  await main.getByText('Announcement from root: Maintenance tonight').waitFor();
  await main.getByText('Down from 22:00.').waitFor();
  // The live bell lists it too; without a link, it leads to the notifications page.
  const inBell = readerPage.locator('.bell-list a', { hasText: 'Maintenance tonight' });
  assert.equal(await inBell.getAttribute('href'), `${server.url}/notifications`);
  await assertNoViolations(readerPage, 'the notifications page with an announcement');
  assert.ok(admin.token);
});
