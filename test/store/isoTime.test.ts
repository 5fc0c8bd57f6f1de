/**
 * The events' times are held as epoch ms and given back as toISOString writes them (isoTime.ts,
 * which keeps the date part between calls): the same text for every time a Date holds, on
 * either side of 1970, across days and years, and the same refusal for a time it does not.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isoTime } from '../../server/store/lowdb/isoTime.js';

const LIMIT = 8.64e15;
const DAY = 86_400_000;

describe('isoTime', () => {
  it('writes every time as toISOString does', () => {
    const edges = [0, -1, 1, DAY - 1, DAY, -DAY, -DAY - 1, LIMIT, -LIMIT, 253402300799999];
    // Pseudo-random but fixed, over the whole range and over a few recent days.
    let seed = 1;
    const next = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const wide = Array.from({ length: 20_000 }, () => Math.round((next() * 2 - 1) * LIMIT));
    const recent = Array.from({ length: 20_000 }, () => 1.7e12 + Math.round(next() * 5 * DAY));
    for (const time of [...edges, ...wide, ...recent]) {
      assert.equal(isoTime(time), new Date(time).toISOString(), `time ${time}`);
    }
  });

  it('refuses a time no Date holds, also on a day it has just written', () => {
    isoTime(LIMIT);
    assert.throws(() => isoTime(LIMIT + 1), RangeError);
    assert.throws(() => isoTime(Number.NaN), RangeError);
  });
});
