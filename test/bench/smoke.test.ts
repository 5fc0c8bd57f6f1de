/**
 * The bench's own code, run small: a handful of subscribers in client processes get every post,
 * and a reconnect storm loses nothing, on lowdb and on two PostgreSQL nodes. It checks that the
 * bench measures what it says (every sample arrives, nothing is double-counted), never how fast:
 * no timing assertions.
 * The real figures come from `npm run bench` (docs/BENCHMARKS.md).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fanout } from '../../bench/scenarios/fanout.js';
import { reconnectStorm } from '../../bench/scenarios/reconnectStorm.js';

describe('the bench, run small', () => {
  it('every subscriber gets every post, one sample each, from the floor and from Tidings', async () => {
    const result = await fanout(20, 3, 2);
    for (const figures of [result.floor, result.tidings]) {
      assert.equal(figures.lost, 0);
      assert.equal(figures.fanout.count, 20 * 3, 'one sample per socket and counted post');
      assert.ok(figures.fanout.p50 > 0 && figures.fanout.p50 <= figures.fanout.p99);
      // One post's CPU: above nothing, and less than the three counted posts' together.
      const { serverCpuMsMedianPost: median, serverCpuMsPerPost: mean } = figures;
      assert.ok(median > 0 && median < mean * 3, `median post ${median} ms, mean ${mean} ms`);
    }
    // The post's durable write, read from Tidings' own metrics; the floor writes nothing.
    assert.ok((result.tidings.postWriteMs ?? 0) > 0, 'Tidings timed its posts’ writes');
    assert.equal(result.floor.postWriteMs, undefined);
  });

  it('after a restart every client is back with every post, and back from the floor', async () => {
    const result = await reconnectStorm(20, 2, 30_000);
    assert.equal(result.allBack, true);
    assert.equal(result.floor?.allBack, true, 'every client back from the restarted bare server');
    // Counted once per id: delivery is at least once and clients de-duplicate on id (the
    // contract), so a rare duplicate on the wire is allowed; the bench reports how many.
    assert.equal(result.fewestPosts, result.posts);
  });

  it('after every node of two on PostgreSQL is killed, every client is back with every post', async () => {
    const result = await reconnectStorm(20, 2, 30_000, { driver: 'postgres', nodes: 2 });
    assert.equal(result.allBack, true);
    assert.equal(result.fewestPosts, result.posts);
  });
});
