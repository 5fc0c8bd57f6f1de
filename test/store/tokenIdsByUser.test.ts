/**
 * The index of each user's tokens (tokenIdsByUser.ts) holds one id alone and a set only for more:
 * whatever the order of adds and deletes, it lists what a set per user would, and forgets a user
 * whose last token went.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenIdsByUser } from '../../server/store/lowdb/tokenIdsByUser.js';

describe("the index of each user's tokens", () => {
  it('lists what a set per user would, through adds, repeats and deletes', () => {
    const index = new TokenIdsByUser();
    const model = new Map<string, Set<string>>();
    const steps: [op: 'add' | 'delete', user: string, token: string][] = [
      ['add', 'ann', 't1'],
      ['add', 'ann', 't1'], // the same token again (a touch rewrites its record)
      ['add', 'bob', 't2'],
      ['add', 'ann', 't3'],
      ['add', 'ann', 't4'],
      ['delete', 'ann', 't3'],
      ['delete', 'ann', 't1'],
      ['delete', 'bob', 'no-such-token'],
      ['delete', 'ann', 't4'],
      ['add', 'ann', 't5'],
      ['delete', 'bob', 't2'],
      ['delete', 'nobody', 't2'],
    ];
    for (const [op, user, token] of steps) {
      const ids = model.get(user) ?? new Set<string>();
      if (op === 'add') {
        index.add(user, token);
        model.set(user, ids.add(token));
      } else {
        index.delete(user, token);
        ids.delete(token);
        if (ids.size === 0) model.delete(user);
      }
      for (const name of ['ann', 'bob', 'nobody']) {
        assert.deepEqual(index.of(name), [...(model.get(name) ?? [])], `${op} ${token}: ${name}`);
      }
      assert.equal(index.users, model.size, `${op} ${token}: users with a token`);
    }
  });
});
