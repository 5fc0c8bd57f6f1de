import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffDelay, DEFAULT_BACKOFF } from '../../main/core/backoff.js';

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
