/**
 * Read state is a cursor plus the few seqs read above it; unread counts and pages are derived from
 * the event streams. The story tests show the behaviour; the model test checks the indexes against
 * a plain "filter every event" model over random histories.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { EventRecord, Store, UserRecord } from '../../server/store/store.js';
import { addUser, openTempStore, publish, type TempStore } from './tempStore.js';

describe('read cursors', () => {
  let temp: TempStore;
  let author: UserRecord;
  let reader: UserRecord;
  const posts: EventRecord[] = [];
  before(async () => {
    temp = await openTempStore();
    author = await addUser(temp.store, 'writer', true);
    reader = await addUser(temp.store, 'reader');
    await temp.store.subscribe(reader.id);
    for (let i = 1; i <= 6; i++) posts.push((await publish(temp.store, author, `post ${i}`)).event);
  });
  after(() => temp.dispose());

  it('marking items out of order keeps them read and the rest unread', async () => {
    const { store } = temp;
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
  });

  it('the cursor moves past read items, so the read state stays small', async () => {
    const file = JSON.parse(await readDataFile(temp)) as {
      readState: Record<string, { cursor: number; above: number[] }>;
    };
    assert.deepEqual(file.readState[reader.id], { cursor: posts[2]?.seq, above: [posts[4]?.seq] });
  });

  it('mark-all reads up to the newest visible item and returns its seq; later items stay unread', async () => {
    const { store } = temp;
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
  });

  it('pages newest first below a seq, and oldest first after one', async () => {
    const { store } = temp;
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
    assert.deepEqual(await store.listInbox(reader.id, { beforeSeq: posts[0]?.seq, limit: 5 }), []);
  });
});

/** The snapshot, after a restart has folded the journal into it. */
async function readDataFile(temp: TempStore): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  await temp.reopen();
  return readFile(join(temp.dataDir, 'tidings.json'), 'utf8');
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

  unread(userId: string): number {
    const read = this.read.get(userId) ?? new Set();
    return this.visible(userId).filter((event) => !read.has(event.seq)).length;
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

describe('the inbox indexes agree with a plain model', () => {
  it('over random histories of posts, likes, subscriptions and reads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 40 }), async (steps) => {
        const temp = await openTempStore({ commitWindowMs: 0 });
        try {
          await replay(temp.store, steps);
        } finally {
          await temp.dispose();
        }
      }),
      { numRuns: 40 },
    );
  });
});

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

    for (const viewer of users) {
      assert.equal(await store.unreadCount(viewer.id), model.unread(viewer.id));
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
