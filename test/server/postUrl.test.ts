/**
 * postUrl builds a post's link from the public URL without parsing it per item (issue 14): it
 * must give exactly what resolving the post's path against the public URL gives.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { postPagePath } from '../../contract/wire.js';
import { postUrl } from '../../server/domain/notificationItems.js';

const PUBLIC_URLS = [
  'http://127.0.0.1:4300',
  'https://Blog.Example.com/',
  'https://blog.example.com:443/tidings/',
  'http://[::1]:8080/a/b?x=1#top',
  'http://localhost:80',
];
const IDS = ['3f6c1d2e-0000-4a4b-9c9d-123456789abc', 'a b/c?d#e', 'ü%20', '.', '..', '...', 'x..y'];

it('gives what new URL gives, for any public URL and post id', () => {
  for (const publicUrl of PUBLIC_URLS) {
    for (const id of IDS) {
      assert.equal(
        postUrl(publicUrl, id),
        new URL(postPagePath(id), publicUrl).toString(),
        `${publicUrl} ${id}`,
      );
    }
  }
});
