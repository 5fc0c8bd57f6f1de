import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffDelay, DEFAULT_BACKOFF, RECONNECT_BACKOFF } from '../../main/core/backoff.js';

test('retries wait longer each time, between half and all of an exponential ceiling', () => {
  assert.equal(
    backoffDelay(0, () => 0),
    DEFAULT_BACKOFF.baseMs / 2,
  );
  assert.equal(
    backoffDelay(0, () => 0.999_999),
    DEFAULT_BACKOFF.baseMs,
  );
  assert.equal(
    backoffDelay(3, () => 0),
    DEFAULT_BACKOFF.baseMs * 4,
  );
});

test('no delay exceeds the cap or drops to zero, whatever the attempt and the dice', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 10_000 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (attempt, roll) => {
        const delay = backoffDelay(attempt, () => roll);
        assert.ok(delay >= DEFAULT_BACKOFF.baseMs / 2, `delay ${delay}`);
        assert.ok(delay <= DEFAULT_BACKOFF.capMs, `delay ${delay}`);
      },
    ),
  );
});

test('jitter spreads clients out: different dice give different delays', () => {
  const delays = new Set([0.1, 0.4, 0.7, 0.9].map((roll) => backoffDelay(5, () => roll)));
  assert.equal(delays.size, 4);
});

/** A fixed random source (mulberry32): the same 10,000 "clients" every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

test('after a server restart, 10,000 cores do not all come back in the same moment: the first retry is spread over 0.5 to 5 s', () => {
  const random = seededRandom(14);
  const firstRetries = Array.from({ length: 10_000 }, () =>
    backoffDelay(0, random, RECONNECT_BACKOFF),
  );
  assert.ok(Math.min(...firstRetries) >= 500, 'never back at once');
  assert.ok(Math.max(...firstRetries) <= 5_000);
  // Evenly over 4.5 s is 222 a 100 ms window; within 0.5 to 1 s it was about 2,000.
  const perWindow = new Map<number, number>();
  for (const delay of firstRetries) {
    const window = Math.floor(delay / 100);
    perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
  }
  const busiest = Math.max(...perWindow.values());
  assert.ok(busiest <= 300, `${busiest} cores retry within the same 100 ms`);
});

test('the spread is for the first retry only: failed attempts then back off as before', () => {
  assert.equal(
    backoffDelay(0, () => 0, RECONNECT_BACKOFF),
    500,
  );
  assert.equal(
    backoffDelay(0, () => 0.999_999, RECONNECT_BACKOFF),
    5_000,
  );
  for (const attempt of [1, 2, 3, 8]) {
    for (const roll of [0, 0.5, 0.999_999]) {
      assert.equal(
        backoffDelay(attempt, () => roll, RECONNECT_BACKOFF),
        backoffDelay(attempt, () => roll, DEFAULT_BACKOFF),
      );
    }
  }
});
