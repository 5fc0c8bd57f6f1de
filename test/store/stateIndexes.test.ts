/**
 * The inbox indexes a state is built with at open (state.ts, indexEvents) are the very ones the
 * events built as they were appended one by one: the subscribers' stream, each user's own stream,
 * and each author's own posts in the subscribers' stream.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventRecord } from '../../server/store/store.js';
import { emptyDocument } from '../../server/store/lowdb/document.js';
import { parseDocument } from '../../server/store/lowdb/parseDocument.js';
import {
  appendEvent,
  buildState,
  toDocument,
  type StoreState,
} from '../../server/store/lowdb/state.js';

function eventNo(seq: number): EventRecord {
  const liked = seq % 4 !== 0;
  return {
    seq,
    id: `e${String(seq).padStart(7, '0')}`,
    type: liked ? 'post_liked' : 'new_post',
    createdAt: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
    audience: liked ? { kind: 'user', userId: `author-${seq % 5}` } : { kind: 'subscribers' },
    actorId: liked ? `reader-${seq % 11}` : `author-${seq % 3}`,
    postId: `post-${seq % 7}`,
    postTitle: `Title ${seq % 7}`,
    actorName: `name-${seq % 11}`,
  };
}

function streams(state: StoreState) {
  const sorted = (map: Map<string, number[]>) =>
    [...map].sort(([a], [b]) => a.localeCompare(b)).map(([key, seqs]) => [key, [...seqs]]);
  return {
    subscribers: [...state.subscriberStream],
    users: sorted(state.userStreams),
    ownPosts: sorted(state.ownPostSeqs),
  };
}

describe('the indexes built at open', () => {
  it('are those the events built as they were appended', () => {
    const live = buildState(emptyDocument());
    // Seqs with gaps, as retention and refused writes leave them.
    for (let seq = 1; seq <= 3_000; seq += 1 + (seq % 3)) appendEvent(live, eventNo(seq));
    live.latestSeq = 3_000;
    const text = JSON.stringify(toDocument(live));
    const opened = buildState(parseDocument(text, 'tidings.json'));
    const expected = streams(live);
    assert.ok(expected.users.length > 1 && expected.ownPosts.length > 1, 'several of each');
    assert.deepEqual(streams(opened), expected);
  });
});
