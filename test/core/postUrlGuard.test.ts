import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPostUrl } from '../../main/core/postUrlGuard.js';

const SERVER = 'https://blog.example:8443';

test('a post page on the configured server passes', () => {
  assert.deepEqual(checkPostUrl('https://blog.example:8443/posts/abc', SERVER), {
    ok: true,
    url: 'https://blog.example:8443/posts/abc',
  });
});

for (const url of [
  'javascript:alert(1)',
  'file:///etc/passwd',
  'data:text/html,<script>alert(1)</script>',
  'https://evil.example/posts/abc',
  'http://blog.example:8443/posts/abc',
  'https://blog.example/posts/abc',
  'https://blog.example:8443.evil.example/x',
  'https://user:pw@blog.example:8443/posts/abc',
  'not a url',
  '',
]) {
  test(`never opened: ${JSON.stringify(url)}`, () => {
    const verdict = checkPostUrl(url, SERVER);
    assert.equal(verdict.ok, false);
  });
}

test('nothing passes when no server is configured', () => {
  assert.equal(checkPostUrl('https://blog.example:8443/posts/abc', '').ok, false);
});
