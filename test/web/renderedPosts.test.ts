/**
 * The post page's Markdown is rendered once per version of a post, not once per view: the cache
 * is keyed by id and updatedAt and bounded by size.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SafeHtml } from '../../server/web/html.js';
import { renderMarkdown } from '../../server/web/markdown.js';
import { createRenderedPosts } from '../../server/web/renderedPosts.js';

function countingRenderer() {
  const calls: string[] = [];
  return {
    calls,
    render(markdown: string): SafeHtml {
      calls.push(markdown);
      return renderMarkdown(markdown);
    },
  };
}

test('a hundred views of a post render its Markdown once; an edit renders it once more', () => {
  const renderer = countingRenderer();
  const posts = createRenderedPosts(renderer.render);
  const post = { id: 'p1', updatedAt: '2026-01-01T00:00:00.000Z', body: '**bold**' };
  for (let view = 0; view < 100; view++) {
    assert.equal(posts.bodyOf(post).toString(), '<p><strong>bold</strong></p>\n');
  }
  assert.equal(renderer.calls.length, 1);
  const edited = { ...post, updatedAt: '2026-01-02T00:00:00.000Z', body: '*new*' };
  assert.equal(posts.bodyOf(edited).toString(), '<p><em>new</em></p>\n');
  assert.equal(posts.bodyOf(edited).toString(), '<p><em>new</em></p>\n');
  assert.equal(renderer.calls.length, 2);
});

test('the cache is bounded by size: the least recently viewed post is rendered again', () => {
  const renderer = countingRenderer();
  const body = 'x'.repeat(1_000);
  const posts = createRenderedPosts(renderer.render, 2_500);
  const version = (id: string) => ({ id, updatedAt: '2026-01-01T00:00:00.000Z', body });
  posts.bodyOf(version('a'));
  posts.bodyOf(version('b'));
  posts.bodyOf(version('c')); // over 2,500 characters: a goes
  assert.equal(renderer.calls.length, 3);
  posts.bodyOf(version('c'));
  assert.equal(renderer.calls.length, 3, 'c is kept');
  posts.bodyOf(version('a'));
  assert.equal(renderer.calls.length, 4, 'a was let go');
});
