import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORE = join(ROOT, 'main', 'core');

async function sourcesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourcesUnder(path);
      return Promise.resolve(/\.(m|c)?[tj]sx?$/.test(entry.name) ? [path] : []);
    }),
  );
  return nested.flat();
}

/**
 * Static imports, re-exports, dynamic imports and require() of `electron`, `electron/...` or
 * electron-store (which loads electron itself the moment it is imported).
 */
const ELECTRON_IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]electron(?:-store)?(?:\/[^'"]*)?['"]/;

test('the scan recognises every way of pulling in electron', () => {
  for (const line of [
    "import { app } from 'electron';",
    'import "electron";',
    "export * from 'electron/main';",
    "const { shell } = await import('electron');",
    'const e = require("electron");',
    "import Store from 'electron-store';",
  ]) {
    assert.match(line, ELECTRON_IMPORT, line);
  }
  assert.doesNotMatch("import { build } from 'electron-builder';", ELECTRON_IMPORT);
  assert.doesNotMatch('// electron is not imported here', ELECTRON_IMPORT);
});

test('no file under main/core imports electron, so the core runs in plain Node', async () => {
  const files = await sourcesUnder(CORE);
  assert.ok(files.length >= 5, `expected the core's sources under ${CORE}`);
  const offenders: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if (ELECTRON_IMPORT.test(text)) offenders.push(relative(ROOT, file));
  }
  assert.deepEqual(offenders, [], `these core files import electron: ${offenders.join(', ')}`);
});
