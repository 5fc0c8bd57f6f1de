/**
 * `GET /posts/:id/original`, the page the tray opens for a post imported from another blog's feed
 * (its own rule opens only the server's origin): through a real server process and a local HTTP
 * server playing the other blog, it redirects to that post's stored original link and to nothing
 * else, and is a 404 for a post written here and for an unknown id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postOriginalPath, postPagePath, type PostListItem } from '../../contract/wire.js';
import { publish, signUp, type TestUser } from '../fixtures/api.js';
import { startFeedServer, type FeedServer } from '../fixtures/feedServer.js';
import { FEED_ARGS, importPost } from '../fixtures/importedPost.js';
import { startServer, type RunningServer } from '../fixtures/server.js';

const ORIGINAL = 'https://blog.example/posts/original-article';

describe('the original of an imported post', () => {
  let blog: FeedServer;
  let server: RunningServer;
  let admin: TestUser;
  let imported: PostListItem;

  /** As a browser asks, without following the redirect so the test sees where it leads. */
  const visit = (path: string): Promise<Response> =>
    fetch(new URL(path, server.url), { redirect: 'manual', headers: { accept: 'text/html' } });

  before(async () => {
    blog = await startFeedServer();
    server = await startServer({ args: FEED_ARGS });
    admin = await signUp(server.url, 'root');
    imported = await importPost(server.url, admin.token, blog, {
      id: 'tag:blog.example,2026:original',
      title: 'Written elsewhere',
      link: ORIGINAL,
      html: '<p>The whole article.</p>',
    });
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
    await blog.stop();
  });

  it('redirects (302) to the link the post was imported from, for anyone', async () => {
    const page = await visit(postPagePath(imported.id));
    assert.equal(page.status, 200, 'the post page itself is still the blog’s page');
    const original = await visit(postOriginalPath(imported.id));
    assert.equal(original.status, 302);
    assert.equal(original.headers.get('location'), ORIGINAL);
  });

  it('is a 404 for a post written on this blog: it has no original elsewhere', async () => {
    const local = await publish(server.url, admin.token, 'Written here');
    const page = await visit(postPagePath(local.id));
    assert.equal(page.status, 200);
    const original = await visit(postOriginalPath(local.id));
    assert.equal(original.status, 404);
    assert.equal(original.headers.get('location'), null);
  });

  it('is a 404 for an unknown id, and takes no target from the request', async () => {
    const unknown = await visit(postOriginalPath('no-such-post'));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('location'), null);
    const steered = await visit(
      `${postOriginalPath(imported.id)}?url=${encodeURIComponent('https://evil.example/')}`,
    );
    assert.equal(steered.status, 302);
    assert.equal(steered.headers.get('location'), ORIGINAL);
  });
});
