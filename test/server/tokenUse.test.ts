/** The rules of a token's use, with a fixed clock: when a use is written down, when disuse ends it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isIdleTooLong, lastUseOf, shouldRecordUse } from '../../server/domain/tokenUse.js';

const token = (createdAt: string, lastUsedAt?: string) => ({
  id: 't',
  userId: 'u',
  tokenHash: 'h',
  device: 'laptop',
  createdAt,
  ...(lastUsedAt ? { lastUsedAt } : {}),
});
const at = new Date('2026-06-01T12:00:00.000Z');

test('a use is written down only when the last recorded one is over five minutes old', () => {
  assert.equal(shouldRecordUse(token('2026-06-01T11:56:00.000Z'), at), false);
  assert.equal(shouldRecordUse(token('2026-06-01T11:54:59.000Z'), at), true);
  assert.equal(
    shouldRecordUse(token('2026-01-01T00:00:00.000Z', '2026-06-01T11:58:00.000Z'), at),
    false,
  );
});

test('disuse counts from the last recorded use, or from creation before the first', () => {
  assert.equal(lastUseOf(token('2026-01-01T00:00:00.000Z')), '2026-01-01T00:00:00.000Z');
  assert.equal(isIdleTooLong(token('2026-03-03T12:00:01.000Z'), at, 90), false);
  assert.equal(isIdleTooLong(token('2026-03-03T11:59:59.000Z'), at, 90), true);
  assert.equal(
    isIdleTooLong(token('2025-01-01T00:00:00.000Z', '2026-05-31T00:00:00.000Z'), at, 1),
    true,
  );
  assert.equal(
    isIdleTooLong(token('2025-01-01T00:00:00.000Z', '2026-05-31T12:00:01.000Z'), at, 1),
    false,
  );
});
