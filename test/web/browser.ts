/**
 * Debian's Chromium driven by Playwright (Playwright's own browser download cannot work here).
 * A missing browser fails the test loudly with the command that installs it.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** Screenshots land here (git-ignored) so a person can look at the pages. */
export async function artifactPath(name: string): Promise<string> {
  const dir = resolve(fileURLToPath(new URL('../artifacts/web', import.meta.url)));
  await mkdir(dir, { recursive: true });
  return join(dir, name);
}
