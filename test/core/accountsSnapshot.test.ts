/**
 * Several accounts as one snapshot and one tooltip (accountsSnapshot.ts, badgeText.ts), as plain
 * functions: the merge order, the summed count, the one status, and the tooltip naming an account
 * that is not online.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppSnapshot, ConnectionStatus } from '../../contract/ipc.js';
import type { NotificationItem } from '../../contract/wire.js';
import { combinedStatus, composeSnapshot } from '../../main/core/accountsSnapshot.js';
import { snapshotTooltip } from '../../main/core/badgeText.js';
import { defaultSettings } from '../../main/core/index.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');

function item(id: string, seq: number, minutesAgo: number): NotificationItem {
  return {
    id,
    seq,
    type: 'new_post',
    message: `post ${id}`,
    post: { id: `p${id}`, title: id, url: `https://a.example/posts/p${id}` },
    actor: { id: 'u1', name: 'writer' },
    createdAt: new Date(NOW - minutesAgo * 60_000).toISOString(),
    read: false,
  };
}

function member(
  serverUrl: string,
  status: ConnectionStatus,
  items: NotificationItem[],
): { id: string; snapshot: AppSnapshot } {
  return {
    id: `${serverUrl}#ben`,
    snapshot: {
      account: { serverUrl, username: 'ben' },
      status,
      inbox: { items, unreadCount: items.length, hasMore: false, loadingOlder: false },
      settings: defaultSettings(),
      notice: null,
      about: { appName: 'Tidings', appVersion: '1.0.0', updates: { kind: 'idle' } },
    },
  };
}

test('one account: its own snapshot, each item tagged, and the one-account tooltip', () => {
  const only = member('https://a.example', { state: 'online' }, [item('1', 1, 5)]);
  const composed = composeSnapshot([only]);
  assert.deepEqual(composed.status, { state: 'online' });
  assert.equal(composed.inbox.items[0]?.account, 'https://a.example#ben');
  assert.equal(snapshotTooltip(composed, NOW), 'Tidings: 1 unread');
});

test('several: newest first across accounts, counts summed, and an offline account named in the tooltip', () => {
  const a = member('https://a.example', { state: 'online' }, [item('a2', 2, 1), item('a1', 1, 30)]);
  const b = member('https://b.example:8443', { state: 'offline', retryAt: NOW + 8_000 }, [
    item('b1', 7, 10),
  ]);
  const composed = composeSnapshot([a, b]);
  assert.deepEqual(
    composed.inbox.items.map((entry) => entry.id),
    ['a2', 'b1', 'a1'],
  );
  assert.equal(composed.inbox.unreadCount, 3);
  assert.deepEqual(composed.status, { state: 'online' });
  assert.deepEqual(
    composed.accounts?.map((account) => account.unreadCount),
    [2, 1],
  );
  assert.equal(
    snapshotTooltip(composed, NOW),
    'Tidings: 3 unread in 2 accounts\nben@b.example:8443: offline, retrying in 8 s',
  );
});

test('the one status: online while any account is, then connecting, then the first account’s', () => {
  const offline: ConnectionStatus = { state: 'offline', retryAt: NOW };
  assert.deepEqual(combinedStatus([offline, { state: 'online' }]), { state: 'online' });
  assert.deepEqual(combinedStatus([offline, { state: 'connecting' }]), { state: 'connecting' });
  assert.deepEqual(combinedStatus([offline, { state: 'signed-out' }]), offline);
  assert.deepEqual(combinedStatus([]), { state: 'signed-out' });
});
