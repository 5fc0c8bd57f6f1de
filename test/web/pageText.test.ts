/**
 * The pure parts under the pages: the HTML escaper every template uses, the Markdown renderer and
 * the bell's state. Property tests throw arbitrary text at them; nothing must become markup.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { NotificationItem } from '../../contract/wire.js';
import {
  applyCount,
  applyNew,
  applyRead,
  applySync,
  initialBell,
  MENU_SIZE,
  safePostUrl,
} from '../../server/web/client/bellState.js';
import { escapeHtml, html, SafeHtml } from '../../server/web/html.js';
import { excerptOf } from '../../server/domain/excerpt.js';
import { renderMarkdown } from '../../server/web/markdown.js';

test('any text interpolated into a template comes out without markup characters', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      const out = html`<p title="${text}">${text}</p>`.value;
      const inner = out.slice('<p title="'.length, -'</p>'.length);
      assert.doesNotMatch(inner.replace('">', ''), /[<>"']/);
    }),
  );
  assert.equal(
    escapeHtml(`<a href="x">'&'</a>`),
    '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
  );
});

test('only SafeHtml passes through a template unescaped; false and nullish render as nothing', () => {
  assert.equal(html`${new SafeHtml('<b>ok</b>')}${'<b>'}`.value, '<b>ok</b>&lt;b&gt;');
  assert.equal(html`[${false}${null}${undefined}${0}]`.value, '[0]');
  assert.equal(html`${['<i>', html`<i>x</i>`]}`.value, '&lt;i&gt;<i>x</i>');
});

test('Markdown never lets raw HTML or script links through', () => {
  fc.assert(
    fc.property(
      fc.string(),
      fc.constantFrom('javascript:', 'vbscript:', 'data:text/html,'),
      (text, scheme) => {
        const rendered = renderMarkdown(
          `${text}<script>x</script> [a](${scheme}alert(1)) <img src=x onerror=y>`,
        ).value;
        assert.doesNotMatch(rendered, /<script|<img|href="(javascript|vbscript|data)/i);
      },
    ),
  );
  const link = renderMarkdown('[site](https://example.com/)').value;
  assert.match(link, /<a href="https:\/\/example\.com\/" rel="nofollow ugc noopener noreferrer">/);
});

test('an excerpt is the body as plain words, cut at a bound', () => {
  assert.equal(
    excerptOf('# Title\n\nSome **bold**\ntext.\n\n- a\n- b'),
    'Title Some bold text. a b',
  );
  const long = excerptOf('word '.repeat(200), 50);
  assert.ok(long.length <= 51 && long.endsWith('…'));
});

const item = (seq: number, read = false): NotificationItem => ({
  id: `n${seq}`,
  seq,
  type: 'new_post',
  message: `post ${seq}`,
  post: { id: `p${seq}`, title: `t${seq}`, url: `http://127.0.0.1/posts/p${seq}` },
  actor: { id: 'u1', name: 'ana' },
  createdAt: new Date(0).toISOString(),
  read,
});

test('the bell keeps the newest items once each, and the server count wins', () => {
  let state = applySync(initialBell(5), {
    items: [item(1), item(2)],
    unreadCount: 2,
    upToSeq: 2,
    truncated: false,
    protocolVersion: 2,
  });
  assert.deepEqual(
    state.items.map((i) => i.seq),
    [2, 1],
  );
  assert.equal(state.unreadCount, 2);
  state = applyNew(applyNew(state, item(3)), item(3));
  assert.deepEqual(
    state.items.map((i) => i.seq),
    [3, 2, 1],
  );
  assert.equal(state.lastSeq, 3);
  assert.equal(state.unreadCount, 3, 'protocol 2: one more for the new item, once');
  state = applyCount(state, 3, 3);
  state = applyRead(state, { all: true, upToSeq: 2 });
  assert.deepEqual(
    state.items.map((i) => i.read),
    [false, true, true],
  );
  state = applyRead(state, { ids: ['n3'] });
  assert.equal(state.items[0]?.read, true);
  for (let seq = 4; seq < 40; seq += 1) state = applyNew(state, item(seq));
  assert.equal(state.items.length, MENU_SIZE);
  assert.equal(state.items[0]?.seq, 39);
});

test('protocol 2: a pushed item already covered by the last count adds nothing', () => {
  let state = applyCount(initialBell(0), 4, 10);
  state = applyNew(state, item(9));
  state = applyNew(state, item(10));
  assert.equal(state.unreadCount, 4);
  state = applyNew(state, item(11));
  state = applyNew(state, item(12, true));
  assert.equal(state.unreadCount, 5);
});

test('a count that arrives after a push above the seq it covers keeps that item counted', () => {
  let state = applyCount(initialBell(0), 2, 2);
  state = applyNew(applyNew(state, item(3)), item(4, true));
  assert.equal(state.unreadCount, 3);
  // Read before seq 3 committed, delivered after its push (another node, or a slow query).
  state = applyCount(state, 2, 2);
  assert.equal(state.unreadCount, 3, 'seq 3 is held unread above the count; seq 4 is read');
  state = applyNew(state, item(3));
  assert.equal(state.unreadCount, 3, 'a second copy of seq 3 adds nothing');
});

test('a push that a mark-all already covered arrives read (several nodes can deliver it late)', () => {
  // The mark-all covered seq 3; the count after it covers seq 4, committed after the mark.
  let state = applyRead(initialBell(0), { all: true, upToSeq: 3 });
  state = applyCount(state, 1, 4);
  state = applyNew(applyNew(state, item(3)), item(4));
  assert.deepEqual(
    state.items.map((i) => [i.seq, i.read]),
    [
      [4, false],
      [3, true],
    ],
  );
  assert.equal(state.unreadCount, 1, 'both were in the count already');
  state = applyNew(state, item(5));
  assert.equal(state.unreadCount, 2);
});

test('the bell opens only http(s) links', () => {
  assert.equal(safePostUrl('/posts/a', 'http://127.0.0.1:4300/'), 'http://127.0.0.1:4300/posts/a');
  assert.equal(safePostUrl('javascript:alert(1)', 'http://127.0.0.1/'), undefined);
  assert.equal(safePostUrl('http://[bad', 'http://127.0.0.1/'), undefined);
});
