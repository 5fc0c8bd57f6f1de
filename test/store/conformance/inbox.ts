/**
 * InboxStore: inboxes derived on read, read cursors, out-of-order reads, mark-all and paging, for
 * any driver. The model test replays random histories against a plain "filter every event" model
 * of the visibility rules, so a driver that expresses them its own way (SQL) must agree with it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createInbox } from '../../../server/domain/inbox.js';
import { noPush } from '../../../server/domain/push.js';
import type { EventRecord, Store, UserRecord } from '../../../server/store/store.js';
import { withStore, type StoreDriver } from './driver.js';
import { addUser, publish } from './helpers.js';

export function inboxConformance(driver: StoreDriver): void {
  describe(`${driver.name}: InboxStore`, () => {
    /** A reader subscribed to six posts by one author. */
    const withSixPosts = (
      story: (
        store: Store,
        reader: UserRecord,
        author: UserRecord,
        posts: EventRecord[],
      ) => Promise<void>,
    ) =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'writer', true);
        const reader = await addUser(store, 'reader');
        await store.subscribe(reader.id);
        const posts: EventRecord[] = [];
        for (let i = 1; i <= 6; i++) posts.push((await publish(store, author, `post ${i}`)).event);
        await story(store, reader, author, posts);
      });

    it('marking items out of order keeps them read and the rest unread', () =>
      withSixPosts(async (store, reader, _author, posts) => {
        assert.equal(await store.unreadCount(reader.id), 6);
        const [p1, p2, p3, , p5] = posts as [
          EventRecord,
          EventRecord,
          EventRecord,
          EventRecord,
          EventRecord,
        ];
        assert.deepEqual(await store.markRead(reader.id, [p2.id, p5.id]), [p2.id, p5.id]);
        assert.equal(await store.unreadCount(reader.id), 4);
        assert.deepEqual(await store.markRead(reader.id, [p2.id]), [], 'already read: ignored');

        assert.deepEqual(await store.markRead(reader.id, [p1.id, p3.id]), [p1.id, p3.id]);
        assert.equal(await store.unreadCount(reader.id), 2);
        const inbox = await store.listInbox(reader.id, { afterSeq: 0, limit: 10 });
        assert.deepEqual(
          inbox.map((entry) => entry.read),
          [true, true, true, false, true, false],
        );
      }));

    it('mark-all reads up to the newest visible item and returns its seq; later items stay unread', () =>
      withSixPosts(async (store, reader, author, posts) => {
        await store.markRead(reader.id, [posts[4]?.id ?? '']);
        const upTo = await store.markAllRead(reader.id);
        assert.equal(upTo, posts[5]?.seq);
        assert.equal(await store.unreadCount(reader.id), 0);
        assert.equal(
          await store.markAllRead(reader.id),
          upTo,
          'nothing new: same seq, nothing changes',
        );
        await publish(store, author, 'post 7');
        assert.equal(await store.unreadCount(reader.id), 1);
        assert.equal(
          await store.markAllRead(author.id),
          0,
          'the author sees nothing, so nothing to mark',
        );
      }));

    it('counts up to a seq: the reads above it and the items after it are left out', () =>
      withSixPosts(async (store, reader, author, posts) => {
        const seq = (index: number) => (posts[index] as EventRecord).seq;
        await store.markRead(reader.id, [posts[0]?.id ?? '', posts[4]?.id ?? '']);
        assert.equal(await store.unreadCount(reader.id), 4, 'posts 2, 3, 4 and 6');
        assert.equal(await store.unreadCount(reader.id, seq(2)), 2, 'posts 2 and 3');
        assert.equal(await store.unreadCount(reader.id, seq(4)), 3, 'post 5 is read');
        assert.equal(await store.unreadCount(reader.id, seq(5)), 4);
        assert.equal(await store.unreadCount(reader.id, seq(0)), 0, 'at the read cursor');
        assert.equal(await store.unreadCount(reader.id, 0), 0);
        const { event: like } = await store.addLike(posts[5]?.postId ?? '', reader.id);
        assert.ok(like);
        assert.equal(await store.unreadCount(author.id, like.seq - 1), 0, 'the like comes after');
        assert.equal(await store.unreadCount(author.id, like.seq), 1);
      }));

    // A catch-up reads the newest seq, then its page and count. With PostgreSQL another node can
    // commit in between; the seam below commits a post at exactly that point, every time.
    it("gives a catch-up the count of exactly its page's seqs, whatever commits while it is read", () =>
      withSixPosts(async (store, reader, author, posts) => {
        await store.markRead(reader.id, [posts[1]?.id ?? '']);
        let committedMeanwhile: EventRecord | undefined;
        const commitsWhileCounting = new Proxy(store, {
          get(target, key) {
            if (key !== 'unreadCount') return Reflect.get(target, key, target) as unknown;
            return async (userId: string, upToSeq?: number) => {
              committedMeanwhile ??= (await publish(target, author, 'post 7')).event;
              return target.unreadCount(userId, upToSeq);
            };
          },
        });
        const inbox = createInbox({
          store: commitsWhileCounting,
          push: noPush,
          publicUrl: 'http://127.0.0.1',
        });
        const { payload, watermark } = await inbox.catchUp(reader.id, undefined);
        assert.ok(committedMeanwhile, 'the seam committed a post during the catch-up');
        assert.equal(watermark, posts[5]?.seq);
        assert.ok(committedMeanwhile.seq > watermark);
        assert.deepEqual(
          payload.items.map((item) => item.seq),
          posts.map((post) => post.seq),
        );
        assert.equal(payload.unreadCount, 5, "the page's six, less the one read: not post 7");
        assert.equal(await store.unreadCount(reader.id), 6, 'post 7 is counted once it is pushed');
      }));

    it('pages newest first below a seq (or from the newest), and oldest first after one', () =>
      withSixPosts(async (store, reader, author, posts) => {
        await publish(store, author, 'post 7');
        const titles = (entries: { event: EventRecord }[]) => entries.map((e) => e.event.postTitle);
        assert.deepEqual(titles(await store.listInbox(reader.id, { limit: 3 })), [
          'post 7',
          'post 6',
          'post 5',
        ]);
        const older = await store.listInbox(reader.id, { beforeSeq: posts[4]?.seq, limit: 3 });
        assert.deepEqual(titles(older), ['post 4', 'post 3', 'post 2']);
        const newer = await store.listInbox(reader.id, { afterSeq: posts[3]?.seq, limit: 2 });
        assert.deepEqual(titles(newer), ['post 5', 'post 6']);
        assert.deepEqual(
          await store.listInbox(reader.id, { beforeSeq: posts[0]?.seq, limit: 5 }),
          [],
        );
        assert.deepEqual(
          await store.listInbox(reader.id, { afterSeq: store.latestSeq(), limit: 5 }),
          [],
        );
        assert.deepEqual(await store.listInbox(reader.id, { afterSeq: 0, limit: 0 }), []);
      }));

    it("user B can neither see nor mark user A's notifications", () =>
      withStore(driver, async ({ store }) => {
        const author = await addUser(store, 'ida', true);
        const alice = await addUser(store, 'alice');
        const bob = await addUser(store, 'bob');
        await store.subscribe(alice.id);
        const { post, event: postEvent } = await publish(store, author, 'For Alice');
        const { event: likeEvent } = await store.addLike(post.id, bob.id);
        assert.ok(likeEvent);

        assert.deepEqual(await store.markRead(bob.id, [postEvent.id]), [], 'not his to mark');
        assert.deepEqual(await store.markRead(alice.id, [likeEvent.id]), [], 'not hers to mark');
        assert.deepEqual(await store.markRead(bob.id, ['no-such-id']), []);
        assert.equal(await store.unreadCount(alice.id), 1);
        assert.equal(await store.unreadCount(author.id), 1);
        assert.deepEqual(await store.markRead(alice.id, [postEvent.id]), [postEvent.id]);
        assert.equal(await store.unreadCount(alice.id), 0);
        assert.equal(
          await store.unreadCount(author.id),
          1,
          "Alice's read does not touch the author",
        );
      }));

    it('read state survives opening the data again', () =>
      withStore(driver, async (opened) => {
        const author = await addUser(opened.store, 'writer', true);
        const reader = await addUser(opened.store, 'reader');
        await opened.store.subscribe(reader.id);
        const posts: EventRecord[] = [];
        for (let i = 1; i <= 4; i++) {
          posts.push((await publish(opened.store, author, `post ${i}`)).event);
        }
        await opened.store.markRead(reader.id, [posts[1]?.id ?? '', posts[3]?.id ?? '']);
        const store = await opened.reopen();
        assert.equal(await store.unreadCount(reader.id), 2);
        const inbox = await store.listInbox(reader.id, { afterSeq: 0, limit: 10 });
        assert.deepEqual(
          inbox.map((entry) => entry.read),
          [false, true, false, true],
        );
        assert.equal(await store.markAllRead(reader.id), posts[3]?.seq);
        assert.equal(await (await opened.reopen()).unreadCount(reader.id), 0);
      }));

    it('agrees with a plain model over random histories of posts, likes, subscriptions and reads', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 40 }), (steps) =>
          withStore(driver, ({ store }) => replay(store, steps)),
        ),
        { numRuns: 40 },
      );
    });
  });
}

/** The plainest possible model of the same rules, to check the store's indexes against. */
class InboxModel {
  events: EventRecord[] = [];
  spans = new Map<string, [number, number | null][]>();
  read = new Map<string, Set<number>>();

  visible(userId: string): EventRecord[] {
    return this.events.filter((event) => {
      if (event.actorId === userId) return false;
      if (event.audience.kind === 'user') return event.audience.userId === userId;
      return (this.spans.get(userId) ?? []).some(
        ([from, to]) => event.seq > from && (to === null || event.seq <= to),
      );
    });
  }

  unread(userId: string, upToSeq = Infinity): number {
    const read = this.read.get(userId) ?? new Set();
    return this.visible(userId).filter((event) => event.seq <= upToSeq && !read.has(event.seq))
      .length;
  }
}

type Step =
  | { kind: 'publish'; author: number }
  | { kind: 'like'; user: number; post: number }
  | { kind: 'unlike'; user: number; post: number }
  | { kind: 'subscribe'; user: number }
  | { kind: 'unsubscribe'; user: number }
  | { kind: 'markAll'; user: number }
  | { kind: 'markRead'; user: number; picks: number[] };

const USERS = 4;
const user = fc.nat(USERS - 1);
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('publish' as const), author: user }),
  fc.record({ kind: fc.constant('like' as const), user, post: fc.nat(20) }),
  fc.record({ kind: fc.constant('unlike' as const), user, post: fc.nat(20) }),
  fc.record({ kind: fc.constant('subscribe' as const), user }),
  fc.record({ kind: fc.constant('unsubscribe' as const), user }),
  fc.record({ kind: fc.constant('markAll' as const), user }),
  fc.record({
    kind: fc.constant('markRead' as const),
    user,
    picks: fc.array(fc.nat(40), { maxLength: 4 }),
  }),
);

async function replay(store: Store, steps: Step[]): Promise<void> {
  const model = new InboxModel();
  const users: UserRecord[] = [];
  for (let i = 0; i < USERS; i++) users.push(await addUser(store, `user${i}`, true));
  const postIds: string[] = [];
  const at = <T>(list: T[], index: number): T | undefined => list[index % Math.max(1, list.length)];

  for (const step of steps) {
    const actor = users[step.kind === 'publish' ? step.author : step.user] as UserRecord;
    if (step.kind === 'publish') {
      const { post, event } = await publish(store, actor, `p${postIds.length}`);
      postIds.push(post.id);
      model.events.push(event);
    } else if (step.kind === 'like' || step.kind === 'unlike') {
      const postId = at(postIds, step.post);
      if (postId === undefined) continue;
      if (step.kind === 'unlike') await store.removeLike(postId, actor.id);
      else {
        const { event } = await store.addLike(postId, actor.id);
        if (event) model.events.push(event);
      }
    } else if (step.kind === 'subscribe') {
      const spans = model.spans.get(actor.id) ?? [];
      const changed = await store.subscribe(actor.id);
      assert.equal(changed, spans.at(-1)?.[1] !== null || spans.length === 0);
      if (changed) model.spans.set(actor.id, [...spans, [store.latestSeq(), null]]);
    } else if (step.kind === 'unsubscribe') {
      const spans = model.spans.get(actor.id) ?? [];
      const last = spans.at(-1);
      assert.equal(await store.unsubscribe(actor.id), last !== undefined && last[1] === null);
      if (last && last[1] === null) last[1] = store.latestSeq();
    } else if (step.kind === 'markAll') {
      const visible = model.visible(actor.id);
      const upTo = await store.markAllRead(actor.id);
      const read = model.read.get(actor.id) ?? new Set();
      for (const event of visible) if (event.seq <= upTo) read.add(event.seq);
      model.read.set(actor.id, read);
      assert.ok(visible.length === 0 || upTo >= (visible.at(-1)?.seq ?? 0));
    } else {
      const ids = step.picks.flatMap((pick) => at(model.events, pick)?.id ?? []);
      const read = model.read.get(actor.id) ?? new Set();
      const expected = [
        ...new Set(
          model
            .visible(actor.id)
            .filter((event) => ids.includes(event.id) && !read.has(event.seq))
            .map((event) => event.id),
        ),
      ].sort();
      const marked = await store.markRead(actor.id, ids);
      assert.deepEqual([...marked].sort(), expected);
      for (const event of model.events) if (marked.includes(event.id)) read.add(event.seq);
      model.read.set(actor.id, read);
    }

    // Up to a seq halfway through the history too (a catch-up's bound).
    const halfway = model.events[Math.floor(model.events.length / 2)]?.seq ?? 0;
    for (const viewer of users) {
      assert.equal(await store.unreadCount(viewer.id), model.unread(viewer.id));
      assert.equal(await store.unreadCount(viewer.id, halfway), model.unread(viewer.id, halfway));
    }
  }

  for (const viewer of users) {
    const visible = model.visible(viewer.id);
    const read = model.read.get(viewer.id) ?? new Set();
    const oldestFirst = await store.listInbox(viewer.id, { afterSeq: 0, limit: 1000 });
    assert.deepEqual(
      oldestFirst.map((entry) => [entry.event.seq, entry.read]),
      visible.map((event) => [event.seq, read.has(event.seq)]),
    );
    const middle = visible[Math.floor(visible.length / 2)]?.seq ?? 1;
    const newestFirst = await store.listInbox(viewer.id, { beforeSeq: middle, limit: 3 });
    assert.deepEqual(
      newestFirst.map((entry) => entry.event.seq),
      visible
        .filter((event) => event.seq < middle)
        .reverse()
        .slice(0, 3)
        .map((event) => event.seq),
    );
  }
}
