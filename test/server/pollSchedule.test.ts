import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BACKOFF_MAX_MS, nextPollAt, spreadOffset } from '../../server/feeds/pollSchedule.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const HOUR = 60 * 60 * 1000;

test('a healthy feed is polled again after the configured interval', () => {
  assert.equal(nextPollAt(NOW, HOUR, { ok: true, failures: 0 }), NOW + HOUR);
});

test("a feed's hints can make us wait longer, never poll faster", () => {
  assert.equal(
    nextPollAt(NOW, HOUR, { ok: true, failures: 0, maxAgeSeconds: 2 * 3600 }),
    NOW + 2 * HOUR,
  );
  assert.equal(nextPollAt(NOW, HOUR, { ok: true, failures: 0, ttlMinutes: 90 }), NOW + 1.5 * HOUR);
  // A feed asking for every ten seconds still gets the operator's interval.
  assert.equal(nextPollAt(NOW, HOUR, { ok: true, failures: 0, maxAgeSeconds: 10 }), NOW + HOUR);
});

test('failures back off exponentially up to a day, and Retry-After wins when it asks for more', () => {
  assert.equal(nextPollAt(NOW, HOUR, { ok: false, failures: 1 }), NOW + 2 * HOUR);
  assert.equal(nextPollAt(NOW, HOUR, { ok: false, failures: 3 }), NOW + 8 * HOUR);
  assert.equal(nextPollAt(NOW, HOUR, { ok: false, failures: 30 }), NOW + BACKOFF_MAX_MS);
  assert.equal(
    nextPollAt(NOW, HOUR, { ok: false, failures: 1, retryAfterSeconds: 5 * 3600 }),
    NOW + 5 * HOUR,
  );
  // A hint beyond a day is honoured only up to a day, so a hostile header cannot park a feed.
  assert.equal(
    nextPollAt(NOW, HOUR, { ok: false, failures: 1, retryAfterSeconds: 30 * 24 * 3600 }),
    NOW + BACKOFF_MAX_MS,
  );
});

test('the next poll is never sooner than the interval nor later than a day past it', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1_000, max: 6 * HOUR }),
      fc.boolean(),
      fc.integer({ min: 0, max: 1_000 }),
      fc.option(fc.integer({ min: 0, max: 10 ** 9 }), { nil: undefined }),
      fc.option(fc.integer({ min: 0, max: 10 ** 9 }), { nil: undefined }),
      fc.option(fc.integer({ min: 0, max: 10 ** 7 }), { nil: undefined }),
      (intervalMs, ok, failures, maxAgeSeconds, retryAfterSeconds, ttlMinutes) => {
        const at = nextPollAt(NOW, intervalMs, {
          ok,
          failures: ok ? 0 : failures,
          maxAgeSeconds,
          retryAfterSeconds,
          ttlMinutes,
        });
        assert.ok(at >= NOW + intervalMs);
        assert.ok(at <= NOW + Math.max(intervalMs, BACKOFF_MAX_MS));
      },
    ),
  );
});

test("a feed's offset is stable, inside the interval, and spreads feeds added together", () => {
  assert.equal(spreadOffset('feed-a', HOUR), spreadOffset('feed-a', HOUR));
  const offsets = Array.from({ length: 100 }, (_, i) => spreadOffset(`feed-${i}`, HOUR));
  for (const offset of offsets) assert.ok(offset >= 0 && offset < HOUR);
  // A hundred feeds land in many different minutes, not all in the same second.
  assert.ok(new Set(offsets.map((offset) => Math.floor(offset / 60_000))).size > 40);
  assert.equal(spreadOffset('feed-a', 0), 0);
});
