/**
 * The lowdb inbox's newest page and newest seq, the reads every connecting socket makes, walk
 * the streams in plain loops (issue 14). The model is what they replaced: every visible seq in
 * ascending order (the `visibleAscending` generator, unchanged), read from the newest end. On
 * random histories of posts, likes, announcements to everyone or to one user, subscriptions
 * that start and end, read marks and retention, both must give the same entries.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import type { EventRecord, InboxEntry } from '../../server/store/store.js';
import { emptyDocument } from '../../server/store/lowdb/document.js';
import {
  listInbox,
  newestVisibleSeq,
  readStateOf,
  entriesOf,
  visibleAscending,
  withReadSeqs,
} from '../../server/store/lowdb/inbox.js';
import {
  applyRetention,
  appendEvent,
  buildState,
  type StoreState,
} from '../../server/store/lowdb/state.js';
import { endSubscription, startSubscription } from '../../server/store/visibility.js';

const USERS = ['ana', 'ben', 'cy', 'dee'];
const CREATED_AT = '2026-12-01T00:00:00.000Z';

type Step =
  | { kind: 'post'; actor: number }
  | { kind: 'like'; actor: number; author: number }
  | { kind: 'announce'; actor: number; to: number | undefined }
  | { kind: 'subscribe' | 'unsubscribe'; user: number }
  | { kind: 'read'; user: number; back: number[] }
  | { kind: 'retain'; keep: number };

const user = fc.nat({ max: USERS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('post' as const), actor: user }),
  fc.record({ kind: fc.constant('like' as const), actor: user, author: user }),
  fc.record({
    kind: fc.constant('announce' as const),
    actor: user,
    to: fc.option(user, { nil: undefined }),
  }),
  fc.record({ kind: fc.constantFrom('subscribe' as const, 'unsubscribe' as const), user }),
  fc.record({
    kind: fc.constant('read' as const),
    user,
    back: fc.array(fc.nat({ max: 12 }), { maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('retain' as const), keep: fc.nat({ max: 30 }) }),
);

const nameOf = (index: number): string => USERS[index] ?? 'nobody';

function event(
  state: StoreState,
  fields: Pick<EventRecord, 'type' | 'audience' | 'actorId'>,
): void {
  const seq = state.latestSeq + 1;
  state.latestSeq = seq;
  appendEvent(state, {
    ...fields,
    seq,
    id: `e${seq}`,
    createdAt: CREATED_AT,
    postId: fields.type === 'announcement' ? '' : `p${seq}`,
    postTitle: `title ${seq}`,
    actorName: fields.actorId,
  });
}

function play(steps: readonly Step[]): StoreState {
  const state = buildState(emptyDocument());
  for (const each of steps) {
    switch (each.kind) {
      case 'post':
        event(state, {
          type: 'new_post',
          audience: { kind: 'subscribers' },
          actorId: nameOf(each.actor),
        });
        break;
      case 'like':
        event(state, {
          type: 'post_liked',
          audience: { kind: 'user', userId: nameOf(each.author) },
          actorId: nameOf(each.actor),
        });
        break;
      case 'announce':
        event(state, {
          type: 'announcement',
          audience:
            each.to === undefined
              ? { kind: 'subscribers' }
              : { kind: 'user', userId: nameOf(each.to) },
          actorId: nameOf(each.actor),
        });
        break;
      case 'subscribe':
      case 'unsubscribe': {
        const spans = state.subscriptions.get(nameOf(each.user)) ?? [];
        const next =
          each.kind === 'subscribe'
            ? startSubscription(spans, state.latestSeq)
            : endSubscription(spans, state.latestSeq);
        if (next) state.subscriptions.set(nameOf(each.user), next);
        break;
      }
      case 'read': {
        const userId = nameOf(each.user);
        const seqs = each.back.map((back) => state.latestSeq - back).filter((seq) => seq > 0);
        state.readState.set(userId, withReadSeqs(state, userId, readStateOf(state, userId), seqs));
        break;
      }
      case 'retain':
        applyRetention(
          state,
          { maxEventAgeDays: 1_000_000, maxEvents: each.keep },
          new Date(CREATED_AT),
        );
        break;
    }
  }
  return state;
}

/** What the generators gave: every visible seq below `before`, newest first. */
function modelNewest(state: StoreState, userId: string, before: number | undefined): number[] {
  return [...visibleAscending(state, userId, 0, before)].reverse();
}

function modelPage(
  state: StoreState,
  userId: string,
  before: number | undefined,
  limit: number,
): InboxEntry[] {
  return entriesOf(state, readStateOf(state, userId), modelNewest(state, userId, before), limit);
}

it('the newest page and the newest seq are what the generators gave, on random histories', () => {
  fc.assert(
    fc.property(
      fc.array(step, { maxLength: 60 }),
      fc.array(fc.nat({ max: 70 }), { maxLength: 3 }),
      (steps, befores) => {
        const state = play(steps);
        for (const userId of [...USERS, 'nobody']) {
          assert.equal(newestVisibleSeq(state, userId), modelNewest(state, userId, undefined)[0]);
          for (const before of [undefined, state.latestSeq + 1, ...befores]) {
            for (const limit of [0, 1, 2, 5, 50]) {
              assert.deepEqual(
                listInbox(state, userId, { beforeSeq: before, limit }),
                modelPage(state, userId, before, limit),
                `${userId} before ${before} limit ${limit}`,
              );
            }
          }
        }
      },
    ),
    { numRuns: 400 },
  );
});
