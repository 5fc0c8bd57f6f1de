/** Browser helpers for the blog page tests: Chromium (test/fixtures/chromium.ts) and screenshots. */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../fixtures/chromium.js';

export { launchChromium };

/** Screenshots land here (git-ignored) so a person can look at the pages. */
export async function artifactPath(name: string): Promise<string> {
  const dir = resolve(fileURLToPath(new URL('../artifacts/web', import.meta.url)));
  await mkdir(dir, { recursive: true });
  return join(dir, name);
}
