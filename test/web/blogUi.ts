/** What a person does on the blog's pages, as steps the stories reuse. */
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { setupCodeOf, TEST_PASSWORD } from '../fixtures/api.js';

export const PASSWORD = TEST_PASSWORD;

/** Signs up; the first account on a fresh server brings the setup code, as its operator would. */
export async function signUp(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  const setupCode = page.getByLabel('Setup code');
  if (await setupCode.count()) await setupCode.fill(setupCodeOf(baseUrl) ?? '');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(`${baseUrl}/`);
  assert.equal(await page.locator('.whoami').textContent(), username);
}

export async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/`);
}

/** Writes and publishes a post; returns the URL of its page. */
export async function publish(
  page: Page,
  baseUrl: string,
  post: { title: string; body: string },
): Promise<string> {
  await page.goto(`${baseUrl}/compose`);
  await page.getByLabel('Title').fill(post.title);
  await page.getByLabel('Body').fill(post.body);
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.waitForURL(/\/posts\/[^/]+$/);
  return page.url();
}

/** The bell once its socket is live, so what happens next is seen as it happens. */
export async function liveBell(page: Page) {
  await page.locator('[data-bell][data-state="live"]').waitFor({ timeout: 10_000 });
  return {
    count: page.locator('button[data-bell-button] [data-bell-count]'),
    button: page.locator('button[data-bell-button]'),
    menu: page.locator('[data-bell-menu]'),
  };
}

/** Waits until the bell shows `count` (the badge is hidden at 0, so wait for it in the DOM). */
export async function bellShows(page: Page, count: number): Promise<void> {
  await page
    .locator(`button[data-bell-button] [data-bell-count][data-count="${count}"]`)
    .waitFor({ state: 'attached', timeout: 10_000 });
}
