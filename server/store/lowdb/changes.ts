/**
 * The store's changes as data. Every mutating Store method describes what it did as a list of
 * Changes and applies them through `applyChange`; the journal (journal.ts) writes the same list,
 * one line per group commit, and opening replays it through the same function. So what a replay
 * rebuilds can never drift from what the running store did.
 *
 * Changes are physical (this record now reads so; this like exists), not requests: replaying one
 * needs no clock, no ids and no rules beyond the few that follow from the state itself.
 * The encoding is a short tuple, so a like costs about a hundred bytes on disk.
 */
import { z } from 'zod';
import type { SubscriptionSpan } from '../visibility.js';
import type { EventRecord, FeedRecord, PostRecord, TokenRecord, UserRecord } from '../store.js';
import {
  EventSchema,
  FeedSchema,
  PostSchema,
  ReadStateSchema,
  SpanSchema,
  TokenSchema,
  UserSchema,
  type ReadState,
} from './document.js';
import {
  addSeenKeys,
  appendEvent,
  deleteToken,
  putToken,
  putUser,
  type StoreState,
} from './state.js';

const Id = z.string();

export const ChangeSchema = z.union([
  z.tuple([z.literal('user'), UserSchema]),
  z.tuple([z.literal('token'), TokenSchema]),
  z.tuple([z.literal('tokenDeleted'), Id]),
  z.tuple([z.literal('registrationOpen'), z.boolean()]),
  /** A new post (appended to the publish order) or a new version of one. */
  z.tuple([z.literal('post'), PostSchema]),
  z.tuple([z.literal('postDeleted'), Id]),
  /** [postId, userId]: the like exists now (and is no longer a notified unlike). */
  z.tuple([z.literal('like'), Id, Id]),
  /** [postId, userId]: the like is gone (and, unless the author's own, was notified). */
  z.tuple([z.literal('unlike'), Id, Id]),
  z.tuple([z.literal('event'), EventSchema]),
  /** The user's subscription spans now; empty means none. */
  z.tuple([z.literal('spans'), Id, z.array(SpanSchema)]),
  z.tuple([z.literal('readState'), Id, ReadStateSchema]),
  /** A followed feed, new or in a new state. */
  z.tuple([z.literal('feed'), FeedSchema]),
  /** The feed is no longer followed; its seen keys go with it. */
  z.tuple([z.literal('feedDeleted'), Id]),
  /** [feedId, keys]: these entries of the feed have been seen. */
  z.tuple([z.literal('feedEntriesSeen'), Id, z.array(z.string())]),
]);

/** What ChangeSchema accepts, with the store's own record types (the journal reader casts to it). */
export type Change =
  | ['user', UserRecord]
  | ['token', TokenRecord]
  | ['tokenDeleted', string]
  | ['registrationOpen', boolean]
  | ['post', PostRecord]
  | ['postDeleted', string]
  | ['like', string, string]
  | ['unlike', string, string]
  | ['event', EventRecord]
  | ['spans', string, readonly SubscriptionSpan[]]
  | ['readState', string, ReadState]
  | ['feed', FeedRecord]
  | ['feedDeleted', string]
  | ['feedEntriesSeen', string, readonly string[]];

export function applyChange(state: StoreState, change: Change): void {
  switch (change[0]) {
    case 'user':
      putUser(state, change[1]);
      return;
    case 'token':
      putToken(state, change[1]);
      return;
    case 'tokenDeleted':
      deleteToken(state, change[1]);
      return;
    case 'registrationOpen':
      state.registrationOpen = change[1];
      return;
    case 'post': {
      const post = change[1];
      if (!state.posts.has(post.id)) state.postOrder.push(post.id);
      state.posts.set(post.id, post);
      return;
    }
    case 'postDeleted': {
      const id = change[1];
      if (!state.posts.delete(id)) return;
      state.postOrder.splice(state.postOrder.lastIndexOf(id), 1);
      state.likes.deletePost(id);
      state.notifiedUnlikes.deletePost(id);
      return;
    }
    case 'like':
      state.likes.add(change[1], change[2]);
      state.notifiedUnlikes.delete(change[1], change[2]);
      return;
    case 'unlike': {
      const [, postId, userId] = change;
      state.likes.delete(postId, userId);
      // Every standing like by someone other than the author was notified; remember that, so
      // liking again stays silent.
      if (state.posts.get(postId)?.authorId !== userId) {
        state.notifiedUnlikes.add(postId, userId);
      }
      return;
    }
    case 'event':
      state.latestSeq = Math.max(state.latestSeq, change[1].seq);
      appendEvent(state, change[1]);
      return;
    case 'spans':
      if (change[2].length === 0) state.subscriptions.delete(change[1]);
      else state.subscriptions.set(change[1], [...change[2]]);
      return;
    case 'readState':
      state.readState.set(change[1], change[2]);
      return;
    case 'feed':
      state.feeds.set(change[1].id, change[1]);
      return;
    case 'feedDeleted':
      state.feeds.delete(change[1]);
      state.feedEntriesSeen.delete(change[1]);
      return;
    case 'feedEntriesSeen':
      addSeenKeys(state, change[1], change[2]);
      return;
  }
}
