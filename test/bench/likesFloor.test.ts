/**
 * The likes' floor (bench/likesFloor.ts) driven by the bench's own client processes, as the likes
 * scenario drives it: a like reaches its author's socket as a `post_liked` item the author client
 * counts (likeReceipts, as it counts Tidings'), after one line about it was written to the
 * journal; a like with a token the floor does not know is refused and writes nothing. It checks
 * what the floor does, never how fast: no timing assertions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API } from '../../contract/wire.js';
import { ClientPool } from '../../bench/clientPool.js';
import { likeKey } from '../../bench/likeKey.js';
import { startLikesFloor, type LikesFloor } from '../../bench/startLikesFloor.js';

const AUTHOR = { id: 'author-1', token: 'author-token', name: 'anna' };
const LIKER = { id: 'liker-1', token: 'liker-token', name: 'lars' };
const POST = { id: 'post-1', authorId: AUTHOR.id, title: 'On floors' };

describe('the likes floor', () => {
  let dir: string;
  let floor: LikesFloor;
  let authors: ClientPool;
  let likers: ClientPool;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tidings-likes-floor-'));
    floor = await startLikesFloor(
      {
        users: [AUTHOR, LIKER].map((user) => [user.token, user.id, user.name]),
        posts: [[POST.id, POST.authorId, POST.title]],
      },
      dir,
      'power',
    );
    authors = new ClientPool(1);
    likers = new ClientPool(1);
  });

  after(async () => {
    await Promise.all([authors.close(), likers.close()]);
    await floor.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("hands a like to its author's socket, counted as the bench counts Tidings', after writing it", async () => {
    const connected = await authors.connect(floor.url, [AUTHOR], false, 15_000);
    assert.equal(connected.ok, 1);
    const { sent, failed } = await likers.like(
      floor.url,
      [{ postId: POST.id, userId: LIKER.id, token: LIKER.token }],
      10,
      15_000,
    );
    assert.deepEqual(failed, []);
    // Answered only once the write holding it returned: the line is there already.
    const lines = (await readFile(floor.journal, 'utf8')).split('\n').filter(Boolean);
    assert.equal(lines.length, 1);
    const written = JSON.parse(lines[0] ?? '') as { like: string[]; event: { actorName: string } };
    assert.deepEqual(written.like, [POST.id, LIKER.id]);
    assert.equal(written.event.actorName, LIKER.name);
    const key = likeKey(POST.id, LIKER.id);
    assert.ok(sent.has(key));
    const receipts = new Map<string, number>();
    for (let tries = 0; tries < 50 && !receipts.has(key); tries++) {
      for (const [k, at] of (await authors.collect()).likeReceipts) receipts.set(k, at);
      if (!receipts.has(key)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(receipts.has(key), 'the author client counted the like');
    const stats = await floor.stats();
    assert.equal(stats.likes, 1);
    assert.equal(stats.writes, 1);
  });

  it('refuses an unknown token with 401 and writes nothing', async () => {
    const journalBefore = await readFile(floor.journal, 'utf8');
    const response = await fetch(new URL(API.like(POST.id), floor.url), {
      method: 'POST',
      headers: { authorization: 'Bearer not-a-token' },
    });
    assert.equal(response.status, 401);
    // A good like after it: writes go out one at a time, in order, and a like is answered after
    // its write, so anything the refused one wrote is on file by then.
    const good = await fetch(new URL(API.like(POST.id), floor.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${LIKER.token}` },
    });
    assert.equal(good.status, 200);
    const added = (await readFile(floor.journal, 'utf8')).slice(journalBefore.length);
    assert.equal(added.split('\n').filter(Boolean).length, 1, 'only the good like was written');
    assert.ok(journalBefore.length > 0);
  });
});
