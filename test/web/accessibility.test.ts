/**
 * axe-core (test/fixtures/axe.ts) in real Chromium over every blog page, in light and dark: home
 * (empty, with posts, page 2, signed in with the bell's menu open), a post as each kind of visitor,
 * an imported post, sign-in, sign-up (normal and the first admin's, with the setup code), compose
 * (new, edit, with an error), notifications (empty, read and unread, an announcement), the account
 * page, the admin page (roles, sign-out, feeds, announcements) with its errors, and the problem
 * pages. No violations. One browser for the file; each visitor keeps one page per color scheme.
 */
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { API, type PostListResponse } from '../../contract/wire.js';
import {
  request,
  like,
  markRead,
  listNotifications,
  publish as publishApi,
  setAuthor,
  signUp as signUpApi,
  subscribe,
  TEST_PASSWORD,
  type TestUser,
} from '../fixtures/api.js';
import { assertNoViolations } from '../fixtures/axe.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { startFeedServer, type FeedServer } from '../fixtures/feedServer.js';
import { rss } from '../fixtures/feedDocuments.js';
import { launchChromium } from './browser.js';
import { liveBell, signIn } from './blogUi.js';

let browser: Browser;
/** The blog under test: admin Ana, author Bob, reader Rui with notifications, Eve with none. */
let blog: RunningServer;
/** A server nobody has signed up on: the empty home and the first admin's sign-up. */
let fresh: RunningServer;
let ana: TestUser;
let bob: TestUser;
let rui: TestUser;
/** Another blog whose feed Ana follows, so the blog has an imported post. */
let elsewhere: FeedServer;
let importedPost: string;
let anaPost: string;
let bobPost: string;

before(async () => {
  browser = await launchChromium();
  elsewhere = await startFeedServer();
  const feedWith = (titles: string[]) => ({
    kind: 'feed' as const,
    body: rss(
      'Other blog',
      titles.map((title, n) => ({
        id: `e${n}`,
        title,
        link: `https://blog.example/${n}`,
        html: '<p>Hi</p>',
      })),
    ),
  });
  elsewhere.set('/feed', feedWith(['Elsewhere 1']));
  [blog, fresh] = await Promise.all([
    startServer({ args: ['--allow-private-feeds', 'on'] }),
    startServer(),
  ]);
  ana = await signUpApi(blog.url, 'ana');
  bob = await signUpApi(blog.url, 'bob');
  rui = await signUpApi(blog.url, 'rui');
  await signUpApi(blog.url, 'eve');
  await setAuthor(blog.url, ana.token, 'bob');
  await subscribe(blog.url, rui.token);
  // Eleven posts: the home page shows ten, so there is a page 2.
  for (let n = 1; n <= 10; n += 1) {
    await publishApi(blog.url, ana.token, `Field note ${n}`, `Body of note ${n}.`);
  }
  anaPost = (await publishApi(blog.url, ana.token, 'Why fan-out on read', '**Bold** _and_ `code`'))
    .id;
  bobPost = (await publishApi(blog.url, bob.token, 'Notes from the tray', 'A [link](/) here.')).id;
  await like(blog.url, rui.token, anaPost);
  await request(blog.url, 'POST', API.announcements, {
    token: ana.token,
    json: { title: 'Maintenance tonight', text: 'Down from 22:00.', to: 'rui' },
  });
  const feed = await request<{ id: string }>(blog.url, 'POST', API.feeds, {
    token: ana.token,
    json: { url: `${elsewhere.url}/feed` },
  });
  // Following takes in what the feed has as already seen; what appears next is imported.
  elsewhere.set('/feed', feedWith(['Elsewhere 1', 'Elsewhere 2']));
  await request(blog.url, 'POST', API.feedRefresh(feed.body.id), { token: ana.token });
  const listed = await request<PostListResponse>(blog.url, 'GET', `${API.posts}?limit=50`);
  const imported = listed.body.items.find((post) => post.title === 'Elsewhere 2');
  if (!imported) throw new Error('the feed was not imported');
  importedPost = imported.id;
  // Rui has read some of his notifications and not others.
  const { items } = await listNotifications(blog.url, rui.token);
  await markRead(blog.url, rui.token, { ids: items.slice(5).map((item) => item.id) });
});

after(async () => {
  await browser?.close();
  for (const server of [blog, fresh]) {
    await server?.stop();
    await server?.cleanup();
  }
  await elsewhere?.stop();
});

for (const colorScheme of ['light', 'dark'] as const) {
  describe(`every blog page passes axe (${colorScheme})`, () => {
    const pages = new Map<string, Page>();
    /** One page per visitor, signed in once ('' is signed out). */
    const as = async (username: string): Promise<Page> => {
      const known = pages.get(username);
      if (known) return known;
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      if (username) await signIn(page, blog.url, username);
      pages.set(username, page);
      return page;
    };
    const postUrl = (id: string) => `${blog.url}/posts/${id}`;

    after(async () => {
      for (const page of pages.values()) await page.context().close();
    });

    it('the home page: empty, with posts, and page 2', async () => {
      const page = await as('');
      await page.goto(`${fresh.url}/`);
      await assertNoViolations(page, 'the empty home page');
      await page.goto(`${blog.url}/`);
      await assertNoViolations(page, 'the home page with posts');
      await page.goto(`${blog.url}/?page=2`);
      await assertNoViolations(page, 'page 2 of the home page');
    });

    it("the home page signed in, with the bell's menu open", async () => {
      const page = await as('rui');
      await page.goto(`${blog.url}/`);
      const bell = await liveBell(page);
      await assertNoViolations(page, 'the home page, signed in');
      await bell.button.click();
      await bell.menu.locator('a').first().waitFor();
      await assertNoViolations(page, "the home page with the bell's menu open");
    });

    it('sign-in, empty and refused', async () => {
      const page = await as('');
      await page.goto(`${blog.url}/signin`);
      await assertNoViolations(page, 'the sign-in page');
      await page.getByLabel('Username').fill('rui');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('[data-error-for], .form-error, [role="alert"]').first().waitFor();
      await assertNoViolations(page, 'the sign-in page with an error');
    });

    it('sign-up, normal and with an error', async () => {
      const page = await as('');
      await page.goto(`${blog.url}/signup`);
      await assertNoViolations(page, 'the sign-up page');
      await page.getByLabel('Username').fill('rui');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.locator('[data-error-for="username"]').waitFor();
      await assertNoViolations(page, 'the sign-up page with a taken username');
    });

    it("the first admin's sign-up, with the setup code and a wrong one", async () => {
      const page = await as('');
      await page.goto(`${fresh.url}/signup`);
      await assertNoViolations(page, 'sign-up with the setup code');
      await page.getByLabel('Setup code').fill('wrong');
      await page.getByLabel('Username').fill('owner');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.locator('[data-error-for="setupCode"]').waitFor();
      await assertNoViolations(page, 'sign-up with a wrong setup code');
    });

    it('a post, signed out', async () => {
      const page = await as('');
      await page.goto(postUrl(anaPost));
      await assertNoViolations(page, 'a post page, signed out');
    });

    it('a post, as a reader with the like button', async () => {
      const page = await as('rui');
      await page.goto(postUrl(anaPost));
      await page.getByRole('button', { name: /like/i }).first().waitFor();
      await assertNoViolations(page, 'a post page, as a reader');
    });

    it('a post, as its author with edit and delete', async () => {
      const page = await as('bob');
      await page.goto(postUrl(bobPost));
      await page.getByRole('button', { name: 'Delete' }).waitFor();
      await assertNoViolations(page, 'a post page, as its author');
    });

    it('a post, as an admin', async () => {
      const page = await as('ana');
      await page.goto(postUrl(bobPost));
      await assertNoViolations(page, 'a post page, as an admin');
    });

    it('an imported post, naming its source', async () => {
      const page = await as('rui');
      await page.goto(postUrl(importedPost));
      await page.getByRole('link', { name: 'Read the original' }).waitFor();
      await assertNoViolations(page, 'an imported post');
    });

    it('compose: new, with an error, and editing', async () => {
      const page = await as('bob');
      await page.goto(`${blog.url}/compose`);
      await assertNoViolations(page, 'the compose page');
      await page.getByLabel('Title').fill('   ');
      await page.getByLabel('Body').fill('A body without a title.');
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.locator('[data-error-for="title"]').waitFor();
      await assertNoViolations(page, 'the compose page with an error');
      await page.goto(`${postUrl(bobPost)}/edit`);
      await assertNoViolations(page, 'the edit page');
    });

    it('notifications: empty, and with read and unread items', async () => {
      const eve = await as('eve');
      await eve.goto(`${blog.url}/notifications`);
      await assertNoViolations(eve, 'the empty notifications page');
      const page = await as('rui');
      await page.goto(`${blog.url}/notifications`);
      await page.locator('#main').getByText('Maintenance tonight').waitFor();
      await assertNoViolations(page, 'notifications: read, unread and an announcement');
      const author = await as('ana');
      await author.goto(`${blog.url}/notifications`);
      await assertNoViolations(author, 'the notifications page with a like');
    });

    it('the account page with its devices', async () => {
      const page = await as('rui');
      await page.goto(`${blog.url}/account`);
      await assertNoViolations(page, 'the account page');
    });

    it('the admin page, its forms and their errors', async () => {
      const page = await as('ana');
      await page.goto(`${blog.url}/admin`);
      await assertNoViolations(page, 'the admin page');
      await page.getByLabel('User to sign out').fill('nobody');
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.locator('[data-error-for="username"]').waitFor();
      await assertNoViolations(page, 'the admin page with a sign-out error');
      await page.goto(`${blog.url}/admin`);
      await page.getByRole('button', { name: 'Make author' }).waitFor();
      await page
        .locator('form')
        .filter({ hasText: 'Make author' })
        .getByRole('textbox')
        .fill('nobody');
      await page.getByRole('button', { name: 'Make author' }).click();
      await page.locator('[data-error-for="username"]').waitFor();
      await assertNoViolations(page, 'the admin page with a role error');
      await page.getByLabel('Feed address').fill('ftp://nope.example/feed');
      await page.getByRole('button', { name: 'Follow feed' }).click();
      await page.locator('[data-error-for="url"]').waitFor();
      await assertNoViolations(page, 'the admin page with a feed error');
      await page.getByLabel('Title').fill('Hello');
      await page.getByLabel('Only to (optional)').fill('nobody');
      await page.getByRole('button', { name: 'Send announcement' }).click();
      await page.locator('[data-error-for="to"]').waitFor();
      await assertNoViolations(page, 'the admin page with an announcement error');
    });

    it('the problem pages: 404, 403 and 400', async () => {
      const page = await as('rui');
      await page.goto(`${blog.url}/no/such/page`);
      await assertNoViolations(page, 'the 404 page');
      await page.goto(`${blog.url}/admin`);
      await assertNoViolations(page, 'the 403 page');
      await page.goto(`${blog.url}/?page=nope`);
      await assertNoViolations(page, 'the 400 page');
    });
  });
}
