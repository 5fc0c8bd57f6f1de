/**
 * A post's likers as the data file lists them are read into their set when the post is first
 * asked about (likerSets.ts); whichever post is asked first, the sets answer as if every list had
 * been read at open, and a snapshot lists the posts in the same order.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LikerSets } from '../../server/store/lowdb/likerSets.js';
import { StringTable } from '../../server/store/lowdb/stringTable.js';

/** No user of the file has a position: every liker is written as their id. */
const NO_POSITIONS = new Map<string, number>();
const FILE = { p1: ['ann', 'bob'], p2: ['cat'], p3: [], p4: ['dan', 'dan', 'eve'], p5: ['ann'] };

describe('liker sets read from the data file', () => {
  it('answer for posts not yet read and posts read, and count a user listed twice once', () => {
    const sets = LikerSets.fromRecord(new StringTable(), FILE);
    assert.equal(sets.has('p2', 'ann'), false, 'a user the table has never seen');
    assert.equal(sets.has('p1', 'ann'), true);
    assert.equal(sets.has('p5', 'ann'), true, 'a user first seen in another post');
    assert.equal(sets.count('p4'), 2);
    assert.equal(sets.count('p3'), 0, 'an empty list is no post');
    assert.equal(sets.has('p3', 'ann'), false);
    assert.deepEqual(
      [...sets.values()].map((users) => users.size),
      [2, 1, 2, 1],
    );
  });

  it('change a post before it is read as after, and write the posts in their order', () => {
    const sets = LikerSets.fromRecord(new StringTable(), FILE);
    sets.add('p5', 'fay');
    assert.equal(sets.delete('p2', 'cat'), true, 'its last liker: the post goes');
    assert.equal(sets.delete('p1', 'zed'), false);
    sets.add('p2', 'cat');
    sets.add('p6', 'ann');
    sets.deletePost('p4');
    assert.deepEqual(sets.toRecord(NO_POSITIONS), {
      p1: ['ann', 'bob'],
      p5: ['ann', 'fay'],
      p2: ['cat'],
      p6: ['ann'],
    });
    assert.deepEqual(Object.keys(sets.toRecord(NO_POSITIONS)), ['p1', 'p5', 'p2', 'p6']);
  });

  it('write the file lists back as they were when nothing was asked', () => {
    const sets = LikerSets.fromRecord(new StringTable(), FILE);
    assert.deepEqual(sets.toRecord(NO_POSITIONS), {
      p1: ['ann', 'bob'],
      p2: ['cat'],
      p4: ['dan', 'eve'],
      p5: ['ann'],
    });
  });

  it('read users by their position in the file, and write them by position when they have one', () => {
    // Version 3: ann, bob and cat are the file's users 0, 1 and 2; zed is not among them.
    const userIds = ['ann', 'bob', 'cat'];
    const sets = LikerSets.fromRecord(new StringTable(), { p1: [1, 0], p2: [2, 'zed'] }, userIds);
    assert.equal(sets.has('p1', 'ann'), true);
    assert.equal(sets.has('p1', 'cat'), false);
    assert.equal(sets.has('p2', 'zed'), true, 'an id in the list is that user');
    sets.add('p1', 'cat');
    const positions = new Map([
      ['cat', 0],
      ['ann', 1],
      ['bob', 2],
    ]);
    assert.deepEqual(sets.toRecord(positions), { p1: [2, 1, 0], p2: [0, 'zed'] });
  });
});
