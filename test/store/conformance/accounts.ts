/** AccountStore: users, tokens and the registration setting, for any driver. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError } from '../../../server/store/store.js';
import { withStore, type StoreDriver } from './driver.js';
import { addUser } from './helpers.js';

export function accountConformance(driver: StoreDriver): void {
  describe(`${driver.name}: AccountStore`, () => {
    it('creates users, finds them by id and by username case-insensitively, and counts them', () =>
      withStore(driver, async ({ store }) => {
        assert.equal(await store.countUsers(), 0);
        const user = await store.createUser({
          username: 'Lena',
          passwordHash: 'hash',
          isAdmin: true,
          isAuthor: false,
        });
        assert.equal(user.username, 'Lena');
        assert.equal(user.isAdmin, true);
        assert.equal(user.isAuthor, false);
        assert.ok(user.id.length > 0);
        assert.ok(!Number.isNaN(Date.parse(user.createdAt)));
        assert.deepEqual(await store.getUser(user.id), user);
        assert.equal((await store.findUserByUsername('LENA'))?.id, user.id);
        assert.equal(await store.findUserByUsername('nobody'), undefined);
        assert.equal(await store.getUser('no-such-id'), undefined);
        assert.equal(await store.countUsers(), 1);
      }));

    it('a taken username, in any case, is a ConflictError and changes nothing', () =>
      withStore(driver, async ({ store }) => {
        const user = await addUser(store, 'Lena');
        await assert.rejects(addUser(store, 'lena'), { name: 'ConflictError' });
        await assert.rejects(addUser(store, 'LENA'), ConflictError);
        assert.equal(await store.countUsers(), 1);
        assert.equal((await store.findUserByUsername('lena'))?.id, user.id);
      }));

    it('setAuthor changes the flag and answers undefined for an unknown user', () =>
      withStore(driver, async ({ store }) => {
        const user = await addUser(store, 'ana');
        assert.equal((await store.setAuthor(user.id, true))?.isAuthor, true);
        assert.equal((await store.getUser(user.id))?.isAuthor, true);
        assert.equal((await store.setAuthor(user.id, true))?.isAuthor, true, 'no change is fine');
        assert.equal((await store.setAuthor(user.id, false))?.isAuthor, false);
        assert.equal(await store.setAuthor('nobody', true), undefined);
      }));

    it('tokens are found by hash until revoked, one at a time or all of a user at once', () =>
      withStore(driver, async ({ store }) => {
        const user = await addUser(store, 'Lena');
        const other = await addUser(store, 'Max');
        const token = await store.createToken({
          userId: user.id,
          tokenHash: 'h1',
          device: 'laptop',
        });
        assert.equal(token.userId, user.id);
        assert.equal(token.device, 'laptop');
        await store.createToken({ userId: user.id, tokenHash: 'h2', device: 'phone' });
        await store.createToken({ userId: user.id, tokenHash: 'h3', device: 'tablet' });
        await store.createToken({ userId: other.id, tokenHash: 'h4', device: 'laptop' });
        assert.deepEqual(await store.findTokenByHash('h1'), token);
        assert.equal(await store.findTokenByHash('no-such-hash'), undefined);

        assert.equal(await store.revokeToken(token.id), true);
        assert.equal(await store.findTokenByHash('h1'), undefined);
        assert.equal(await store.revokeToken(token.id), false, 'revoking twice changes nothing');
        assert.equal(await store.revokeAllTokens(user.id), 2);
        assert.equal(await store.findTokenByHash('h2'), undefined);
        assert.equal(await store.findTokenByHash('h3'), undefined);
        assert.equal(await store.revokeAllTokens(user.id), 0);
        assert.equal((await store.findTokenByHash('h4'))?.userId, other.id, "others' tokens stay");
      }));

    it("a token records its last use; a user's tokens are listed oldest first", () =>
      withStore(driver, async (opened) => {
        const user = await addUser(opened.store, 'Lena');
        const other = await addUser(opened.store, 'Max');
        const laptop = await opened.store.createToken({
          userId: user.id,
          tokenHash: 'h1',
          device: 'laptop',
        });
        assert.equal(laptop.lastUsedAt, undefined, 'not used yet');
        const phone = await opened.store.createToken({
          userId: user.id,
          tokenHash: 'h2',
          device: 'phone',
        });
        await opened.store.createToken({ userId: other.id, tokenHash: 'h3', device: 'desk' });
        assert.deepEqual(
          (await opened.store.listTokens(user.id)).map((token) => token.device),
          ['laptop', 'phone'],
        );
        assert.deepEqual(await opened.store.listTokens('nobody'), []);

        const at = '2031-05-06T07:08:09.000Z';
        assert.equal(await opened.store.touchToken(phone.id, at), true);
        assert.equal(await opened.store.touchToken('no-such-token', at), false);
        assert.equal((await opened.store.findTokenByHash('h2'))?.lastUsedAt, at);
        assert.equal((await opened.store.findTokenByHash('h1'))?.lastUsedAt, undefined);

        const store = await opened.reopen();
        const listed = await store.listTokens(user.id);
        assert.deepEqual(
          listed.map((token) => [token.device, token.lastUsedAt]),
          [
            ['laptop', undefined],
            ['phone', at],
          ],
          'durable',
        );
        await store.revokeToken(laptop.id);
        assert.deepEqual(
          (await store.listTokens(user.id)).map((token) => token.device),
          ['phone'],
        );
      }));

    it('registration is open until an operator closes it, and can be opened again', () =>
      withStore(driver, async ({ store }) => {
        assert.equal(await store.isRegistrationOpen(), true);
        await store.setRegistrationOpen(false);
        assert.equal(await store.isRegistrationOpen(), false);
        await store.setRegistrationOpen(false);
        assert.equal(await store.isRegistrationOpen(), false);
        await store.setRegistrationOpen(true);
        assert.equal(await store.isRegistrationOpen(), true);
      }));

    it('keeps the first setup code offered and gives it back to every later offer', () =>
      withStore(driver, async ({ store }) => {
        const first = {
          digest: 'aa11',
          issuedBy: 'node-a:101',
          issuedAt: '2026-11-30T10:00:00.000Z',
        };
        const second = {
          digest: 'bb22',
          issuedBy: 'node-b:202',
          issuedAt: '2026-11-30T10:00:01.000Z',
        };
        assert.deepEqual(await store.keepSetupCode(first), first);
        assert.deepEqual(await store.keepSetupCode(second), first);
        assert.deepEqual(await store.keepSetupCode(first), first);
      }));
  });
}
