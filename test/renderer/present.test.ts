/**
 * What the inbox window says and how it orders things, checked as plain functions (no browser).
 * Dates are built from local calendar fields, so the tests hold in any time zone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PostNotificationItem } from '../../contract/wire.js';
import {
  connectionBanner,
  dayLabel,
  emptyStateFor,
  filterItems,
  groupByDay,
  isClockTime,
  itemLabel,
  moveFocus,
  pauseDescription,
  relativeTime,
  secondsUntil,
  shouldLoadOlder,
  signInErrorField,
  unreadLabel,
  windowTitle,
} from '../../renderer/present.js';

const NOW = new Date(2026, 10, 22, 15, 30).getTime(); // Sunday 22 November 2026, 15:30 local

let nextSeq = 100;
function item(overrides: Partial<PostNotificationItem> & { at: Date }): PostNotificationItem {
  const seq = nextSeq--;
  return {
    id: `n${seq}`,
    seq,
    type: 'new_post',
    message: `ana published post ${seq}`,
    post: { id: `p${seq}`, title: `Post ${seq}`, url: `http://127.0.0.1/posts/p${seq}` },
    actor: { id: 'u1', name: 'ana' },
    createdAt: overrides.at.toISOString(),
    read: false,
    ...overrides,
  };
}

describe('filters', () => {
  const items = [
    item({ at: new Date(NOW), type: 'new_post', read: false }),
    item({ at: new Date(NOW), type: 'post_liked', read: true }),
    item({ at: new Date(NOW), type: 'post_liked', read: false }),
  ];

  it('All shows everything, in the order given', () => {
    assert.deepEqual(
      filterItems(items, 'all').map((i) => i.id),
      items.map((i) => i.id),
    );
  });

  it('Unread, Posts and Likes each show only their kind', () => {
    assert.deepEqual(
      filterItems(items, 'unread').map((i) => i.id),
      [items[0]?.id, items[2]?.id],
    );
    assert.deepEqual(
      filterItems(items, 'posts').map((i) => i.type),
      ['new_post'],
    );
    assert.deepEqual(
      filterItems(items, 'likes').map((i) => i.type),
      ['post_liked', 'post_liked'],
    );
  });

  it('each filter has its own empty state', () => {
    const titles = new Set(
      (['all', 'unread', 'posts', 'likes'] as const).map((f) => emptyStateFor(f).title),
    );
    assert.equal(titles.size, 4);
  });
});

describe('grouping by day', () => {
  it('puts items under Today, Yesterday and their date, keeping newest first', () => {
    const items = [
      item({ at: new Date(2026, 10, 22, 9, 0) }),
      item({ at: new Date(2026, 10, 22, 0, 5) }),
      item({ at: new Date(2026, 10, 21, 23, 59) }),
      item({ at: new Date(2026, 10, 17, 12, 0) }),
    ];
    const groups = groupByDay(items, NOW, 'en-GB');
    assert.deepEqual(
      groups.map((g) => [g.label, g.items.length]),
      [
        ['Today', 2],
        ['Yesterday', 1],
        ['Tuesday 17 November', 1],
      ],
    );
    assert.equal(groups[0]?.key, '2026-11-22');
  });

  it('names the year only when it is not this one', () => {
    assert.match(
      dayLabel(new Date(2025, 11, 31, 12), NOW, 'en-GB'),
      /^Wednesday,? 31 December 2025$/,
    );
  });

  it('Yesterday follows the calendar, not 24 hours', () => {
    const justAfterMidnight = new Date(2026, 10, 22, 0, 10).getTime();
    assert.equal(dayLabel(new Date(2026, 10, 21, 1, 0), justAfterMidnight), 'Yesterday');
  });

  it('does not lose items with an unreadable date', () => {
    const groups = groupByDay(
      [item({ at: new Date(NOW) }), { ...item({ at: new Date(NOW) }), createdAt: 'garbage' }],
      NOW,
    );
    assert.deepEqual(
      groups.map((g) => g.label),
      ['Today', 'Earlier'],
    );
  });
});

describe('relative times', () => {
  const ago = (ms: number): string => relativeTime(new Date(NOW - ms).toISOString(), NOW, 'en-GB');

  it('reads like a person would say it', () => {
    assert.equal(ago(5_000), 'just now');
    assert.equal(ago(3 * 60_000), '3 min ago');
    assert.equal(ago(59 * 60_000), '59 min ago');
    assert.equal(ago(2 * 3_600_000 + 5), '2 h ago');
    assert.equal(ago(30 * 3_600_000), 'yesterday');
    assert.equal(ago(4 * 86_400_000), '4 days ago');
    assert.equal(ago(20 * 86_400_000), '2 Nov');
  });

  it('treats a server clock slightly ahead as now, and bad dates as nothing', () => {
    assert.equal(relativeTime(new Date(NOW + 90_000).toISOString(), NOW), 'just now');
    assert.equal(relativeTime('not a date', NOW), '');
  });

  it('labels an item for screen readers with read state, type, message and age', () => {
    const unread = item({
      at: new Date(NOW - 3 * 60_000),
      type: 'post_liked',
      message: 'bo liked X',
    });
    assert.equal(itemLabel(unread, NOW), 'Unread. Like: bo liked X, 3 min ago');
    assert.equal(itemLabel({ ...unread, read: true }, NOW), 'Like: bo liked X, 3 min ago');
  });
});

describe('connection banner', () => {
  it('says nothing when online', () => {
    assert.equal(connectionBanner({ state: 'online' }, NOW), null);
  });

  it('counts down to the next retry, then says it is retrying', () => {
    const offline = { state: 'offline', retryAt: NOW + 4_200 } as const;
    assert.equal(connectionBanner(offline, NOW)?.text, 'Offline — retrying in 5s');
    assert.equal(connectionBanner(offline, NOW + 4_000)?.text, 'Offline — retrying in 1s');
    assert.equal(connectionBanner(offline, NOW + 5_000)?.text, 'Offline — retrying now…');
    assert.equal(secondsUntil(NOW - 10, NOW), 0);
  });

  it('says why it is offline when the core knows (a refused certificate says what to do)', () => {
    const reason = "the server's certificate is not trusted by this computer";
    const banner = connectionBanner({ state: 'offline', retryAt: NOW, reason }, NOW);
    assert.equal(banner?.detail, "The server's certificate is not trusted by this computer");
    assert.equal(connectionBanner({ state: 'offline', retryAt: NOW }, NOW)?.detail, undefined);
  });

  it('offers to sign in again only when signed out, and shows why', () => {
    const banner = connectionBanner({ state: 'signed-out', reason: 'token revoked' }, NOW);
    assert.deepEqual(banner, {
      tone: 'error',
      text: 'Signed out: token revoked',
      offerSignIn: true,
    });
    assert.equal(connectionBanner({ state: 'connecting' }, NOW)?.offerSignIn, false);
    assert.match(
      connectionBanner({ state: 'server-incompatible', message: 'protocol 2' }, NOW)?.text ?? '',
      /incompatible: protocol 2/,
    );
    const keychain = connectionBanner(
      { state: 'waiting-for-keychain', retryAt: NOW + 4_000, reason: 'locked' },
      NOW,
    );
    assert.equal(keychain?.text, 'Waiting for the keychain to unlock — retrying in 4s');
    assert.equal(keychain?.offerSignIn, true, 'a keychain that never unlocks does not trap anyone');
  });
});

describe('counts and titles', () => {
  it('says "All caught up" at zero and caps the window title', () => {
    assert.equal(unreadLabel(0), 'All caught up');
    assert.equal(unreadLabel(3), '3 unread');
    assert.equal(windowTitle(0), 'Tidings');
    assert.equal(windowTitle(7), 'Tidings (7)');
    assert.equal(windowTitle(120), 'Tidings (99+)');
  });
});

describe('infinite scroll', () => {
  const view = {
    scrollTop: 0,
    clientHeight: 500,
    scrollHeight: 2000,
    hasMore: true,
    loadingOlder: false,
  };

  it('asks for older items near the bottom, once, and only while there are more', () => {
    assert.equal(shouldLoadOlder(view), false);
    assert.equal(shouldLoadOlder({ ...view, scrollTop: 1300 }), true);
    assert.equal(shouldLoadOlder({ ...view, scrollTop: 1300, loadingOlder: true }), false);
    assert.equal(shouldLoadOlder({ ...view, scrollTop: 1300, hasMore: false }), false);
    assert.equal(
      shouldLoadOlder({ ...view, scrollHeight: 400 }),
      true,
      'a list that does not fill the window',
    );
  });
});

describe('keyboard moves', () => {
  it('starts at the first (or last) item and stops at the ends', () => {
    assert.equal(moveFocus(-1, 1, 3), 0);
    assert.equal(moveFocus(-1, -1, 3), 2);
    assert.equal(moveFocus(1, 1, 3), 2);
    assert.equal(moveFocus(2, 1, 3), 2);
    assert.equal(moveFocus(0, -1, 3), 0);
    assert.equal(moveFocus(0, 1, 0), -1);
  });
});

describe('sign-in refusals', () => {
  it('sends each refusal to the field it is about', () => {
    assert.equal(signInErrorField('unreachable', ''), 'server');
    assert.equal(signInErrorField('not_tidings', ''), 'server');
    assert.equal(signInErrorField('server_incompatible', ''), 'server');
    assert.equal(signInErrorField('unauthorized', ''), 'password');
    assert.equal(signInErrorField('invalid_payload', 'username: Too small'), 'username');
    assert.equal(signInErrorField('keychain_unavailable', 'no keychain'), 'form');
  });
});

describe('settings wording', () => {
  it('checks quiet-hour times', () => {
    assert.ok(isClockTime('22:00'));
    assert.ok(isClockTime('07:05'));
    assert.ok(!isClockTime('24:00'));
    assert.ok(!isClockTime('7:00'));
  });

  it('describes a pause until a time, and nothing once it is over', () => {
    assert.equal(pauseDescription(null, NOW), null);
    assert.equal(pauseDescription(NOW - 1, NOW), null);
    assert.equal(pauseDescription(NOW + 3_600_000, NOW, 'en-GB'), 'Paused until 16:30');
    assert.match(pauseDescription(NOW + 86_400_000, NOW, 'en-GB') ?? '', /^Paused until Mon/);
  });
});
