/**
 * axe-core in real Chromium over the pages that accounts and sessions added: the sign-up page
 * asking for the setup code (with an error shown), the account page with its devices, and the
 * admin page with its sign-out form (with an error shown), in light and dark. No violations.
 * axe is injected through Playwright (the pages' CSP forbids inline scripts, so the context
 * bypasses it for the injection only; nothing else on the pages is changed).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { login, signUp as signUpApi, TEST_PASSWORD } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';
import { launchChromium } from './browser.js';
import { signIn } from './blogUi.js';

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: RunningServer;
let browser: Browser;

async function violationsOn(page: Page): Promise<string[]> {
  await page.evaluate(await AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } })
      .axe;
    return (await axe.run()).violations;
  });
  return (violations as AxeViolation[]).map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
}

async function newPage(colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, colorScheme });
  return context.newPage();
}

before(async () => {
  server = await startServer();
  browser = await launchChromium();
  await signUpApi(server.url, 'ana');
  await login(server.url, 'ana', TEST_PASSWORD, "Ana's laptop");
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await server?.cleanup();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the setup-code sign-up, the account page and the admin page pass axe (${colorScheme})`, async () => {
    const page = await newPage(colorScheme);
    const fresh = await startServer();
    try {
      await page.goto(`${fresh.url}/signup`);
      assert.deepEqual(await violationsOn(page), [], 'sign-up with the setup code');
      await page.getByLabel('Setup code').fill('wrong');
      await page.getByLabel('Username').fill('owner');
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.locator('[data-error-for="setupCode"]').waitFor();
      assert.deepEqual(await violationsOn(page), [], 'sign-up with a wrong setup code');
    } finally {
      await fresh.stop();
      await fresh.cleanup();
    }

    await signIn(page, server.url, 'ana');
    await page.goto(`${server.url}/account`);
    assert.deepEqual(await violationsOn(page), [], 'the account page');

    await page.goto(`${server.url}/admin`);
    assert.deepEqual(await violationsOn(page), [], 'the admin page');
    await page.getByLabel('User to sign out').fill('nobody');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.locator('[data-error-for="username"]').waitFor();
    assert.deepEqual(await violationsOn(page), [], 'the admin page with an error');
  });
}
