/**
 * The XSS rule, checked at the source: nothing in the inbox window may turn a string into markup.
 * The browser test proves one hostile title stays text; this keeps a later edit from opening a
 * second door that test would not walk through.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const RENDERER = resolve(fileURLToPath(new URL('../../renderer', import.meta.url)));
const MARKUP_SINKS =
  /\b(innerHTML|outerHTML|insertAdjacentHTML|createContextualFragment|DOMParser|srcdoc)\b|document\.write|\bon[a-z]+\s*=/;

it('no renderer source turns text into HTML', async () => {
  const files = (await readdir(RENDERER, { recursive: true })).filter((name) =>
    /\.(ts|html)$/.test(name),
  );
  assert.ok(files.length >= 5, `found the renderer sources (${files.join(', ')})`);
  for (const name of files) {
    const text = await readFile(join(RENDERER, name), 'utf8');
    const lines = text.split('\n').filter((line) => MARKUP_SINKS.test(line));
    assert.deepEqual(lines, [], `${name} must build nodes with el(), never from markup`);
  }
});
