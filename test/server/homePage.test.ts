/**
 * Stories of the home page and the post lists under load from one author: a list carries each
 * post's excerpt (cut once, when it was written), never its body, and page sizes are capped, so
 * ten 50,000-character posts cost a reader no more than ten short ones. Links from newsletters and
 * social sites carry tracking parameters; the pages ignore what they do not use, the API does not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API, LIMITS, type Post, type PostListResponse } from '../../contract/wire.js';
import { errorOf, publish, request, signUp, type TestUser } from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';

/** The review's probe: a body of links that markdown-it's linkify works hardest on. */
const HEAVY_BODY = 'a@b.co '.repeat(7142);

describe('the home page and post lists', () => {
  let server: RunningServer;
  let ana: TestUser;

  before(async () => {
    server = await startServer();
    ana = await signUp(server.url, 'ana');
    for (let i = 1; i <= 12; i++) {
      await publish(server.url, ana.token, `Heavy post ${i}`, HEAVY_BODY);
    }
    await publish(
      server.url,
      ana.token,
      'Light post',
      'Some **bold** words.\n\nAnd a second paragraph.',
    );
  });

  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it('a list carries excerpts, not bodies; the full body comes from the post itself', async () => {
    const list = await request<PostListResponse>(server.url, 'GET', API.posts);
    assert.equal(list.status, 200);
    assert.equal(list.body.limit, LIMITS.postPageDefault);
    const [light, heavy] = list.body.items;
    assert.ok(light && heavy);
    for (const item of list.body.items) {
      assert.equal('body' in item, false, `${item.title} has no body in the list`);
    }
    assert.equal(light.excerpt, 'Some bold words. And a second paragraph.');
    assert.ok(heavy.excerpt.length <= LIMITS.excerptMax + 1, heavy.excerpt);
    assert.ok(heavy.excerpt.endsWith('…'));
    // Twenty 50 KB bodies were about a megabyte; twenty excerpts are a few kilobytes.
    assert.ok(JSON.stringify(list.body).length < 20_000, 'the list is small');

    const full = await request<Post>(server.url, 'GET', API.post(heavy.id));
    assert.equal(full.body.body, HEAVY_BODY);
    assert.equal(full.body.excerpt, heavy.excerpt);
  });

  it('an edit cuts a new excerpt', async () => {
    const post = await publish(server.url, ana.token, 'To be edited', 'Old words.');
    const edited = await request<Post>(server.url, 'PATCH', API.post(post.id), {
      token: ana.token,
      json: { body: '# New\n\nNew *words*.' },
    });
    assert.equal(edited.body.excerpt, 'New New words.');
    const list = await request<PostListResponse>(server.url, 'GET', API.posts);
    assert.equal(list.body.items.find((item) => item.id === post.id)?.excerpt, 'New New words.');
    await request(server.url, 'DELETE', API.post(post.id), { token: ana.token });
  });

  it('the API refuses pages bigger than the cap, with a message', async () => {
    const capped = await request<PostListResponse>(
      server.url,
      'GET',
      `${API.posts}?limit=${LIMITS.postPageMax}`,
    );
    assert.equal(capped.status, 200);
    for (const limit of [LIMITS.postPageMax + 1, 100, 1_000_000]) {
      const refused = await request(server.url, 'GET', `${API.posts}?limit=${limit}`);
      assert.equal(refused.status, 400, `limit=${limit}`);
      assert.equal(errorOf(refused).code, 'invalid_payload');
      assert.match(errorOf(refused).message, new RegExp(`${LIMITS.postPageMax}`));
    }
    // The API stays strict about parameters it does not know.
    const unknown = await request(server.url, 'GET', `${API.posts}?utm_source=newsletter`);
    assert.equal(unknown.status, 400);
  });

  it('the home page shows ten posts whatever ?limit says, and ignores tracking parameters', async () => {
    for (const query of [
      '',
      '?limit=100',
      '?utm_source=newsletter&utm_medium=email',
      '?fbclid=IwAR0abc',
      '?gclid=x&page=1',
    ]) {
      const page = await fetch(`${server.url}/${query}`);
      const html = await page.text();
      assert.equal(page.status, 200, `/${query}`);
      assert.equal(html.match(/class="post-card"/g)?.length, 10, `/${query} shows 10 posts`);
      assert.ok(html.length < 60_000, `/${query} carries excerpts, not bodies`);
    }
    const second = await (await fetch(`${server.url}/?page=2&utm_campaign=x`)).text();
    assert.equal(second.match(/class="post-card"/g)?.length, 3);
    assert.equal((await fetch(`${server.url}/?page=zero`)).status, 400, 'a bad page is still bad');
    // Other pages ignore them too.
    const post = (await request<PostListResponse>(server.url, 'GET', API.posts)).body.items[0];
    assert.ok(post);
    assert.equal((await fetch(`${server.url}/posts/${post.id}?fbclid=abc`)).status, 200);
    assert.equal((await fetch(`${server.url}/signin?utm_source=x`)).status, 200);
  });
});
