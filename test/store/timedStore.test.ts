/**
 * The timing wrapper times exactly the durable writes, by name, and passes every call through.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { timeStoreWrites } from '../../server/timedStore.js';
import { addUser, openTempStore, publish, type TempStore } from './tempStore.js';

describe('timeStoreWrites', () => {
  let temp: TempStore;
  before(async () => {
    temp = await openTempStore();
  });
  after(() => temp.dispose());

  it('times the mutating methods under their names and forwards reads untimed', async () => {
    const timed: string[] = [];
    const store = timeStoreWrites(temp.store, (operation, write) => {
      timed.push(operation);
      return write();
    });
    const author = await addUser(store, 'ana', true);
    const reader = await addUser(store, 'ben');
    await store.subscribe(reader.id);
    const { post, event } = await publish(store, author, 'Hello');
    await store.addLike(post.id, reader.id);
    assert.equal(await store.unreadCount(reader.id), 1);
    assert.deepEqual(await store.markRead(reader.id, [event.id]), [event.id]);
    assert.equal(store.latestSeq(), temp.store.latestSeq());
    assert.equal((await store.getUser(author.id))?.username, 'ana');
    assert.deepEqual(timed, [
      'createUser',
      'createUser',
      'subscribe',
      'publishPost',
      'addLike',
      'markRead',
    ]);
  });
});
