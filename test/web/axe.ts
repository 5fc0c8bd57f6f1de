/**
 * Runs axe-core in a page and fails with every violation named. axe's source goes in through
 * Playwright's evaluate (a DevTools call, not a page script), so the pages' strict CSP stays on.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright';

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: unknown[] }[];
}

export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  await page.evaluate(await AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // axe's own global, defined by the source evaluated above.
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } })
      .axe;
    return (await axe.run()).violations;
  });
  assert.deepEqual(
    (violations as AxeViolation[]).map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')})`,
    ),
    [],
    `${what} has accessibility violations`,
  );
}
