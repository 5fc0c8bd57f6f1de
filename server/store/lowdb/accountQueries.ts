/** The lowdb driver's AccountStore: users, tokens and the registration setting. */
import {
  ConflictError,
  type AccountStore,
  type SetupCodeRecord,
  type TokenRecord,
  type UserRecord,
} from '../store.js';
import type { Change } from './changes.js';
import type { CommitEngine } from './commitEngine.js';
import { newId } from './ids.js';

export function accountQueries(engine: CommitEngine): AccountStore {
  const { change, commit, ensureOpen, now } = engine;

  const replaceUser = async (
    userId: string,
    patch: Partial<UserRecord>,
  ): Promise<UserRecord | undefined> => {
    ensureOpen();
    const user = engine.state().users.get(userId);
    if (!user) return undefined;
    const updated = { ...user, ...patch };
    change(['user', updated]);
    await commit();
    return updated;
  };

  /** One process opens a lowdb store, so its setup code lives as long as the process. */
  let setupCode: SetupCodeRecord | undefined;

  return {
    async countUsers() {
      return engine.state().users.size;
    },

    async createUser(user) {
      ensureOpen();
      if (engine.state().userIdByName.has(user.username.toLowerCase())) {
        throw new ConflictError(`the username "${user.username}" is taken`);
      }
      const record: UserRecord = { id: newId(), ...user, createdAt: now() };
      change(['user', record]);
      await commit();
      return record;
    },

    async getUser(id) {
      return engine.state().users.get(id);
    },

    async findFirstAdmin() {
      let first: UserRecord | undefined;
      for (const user of engine.state().users.values()) {
        if (user.isAdmin && (!first || user.createdAt < first.createdAt)) first = user;
      }
      return first;
    },

    async findUserByUsername(username) {
      const state = engine.state();
      const id = state.userIdByName.get(username.toLowerCase());
      return id === undefined ? undefined : state.users.get(id);
    },

    async setAuthor(userId, isAuthor) {
      const user = engine.state().users.get(userId);
      if (user?.isAuthor === isAuthor) return user;
      return replaceUser(userId, { isAuthor });
    },

    async createToken(token) {
      ensureOpen();
      const record: TokenRecord = { id: newId(), ...token, createdAt: now() };
      change(['token', record]);
      await commit();
      return record;
    },

    async findTokenByHash(tokenHash) {
      const state = engine.state();
      const id = state.tokenIdByHash.get(tokenHash);
      return id === undefined ? undefined : state.tokens.get(id);
    },

    async listTokens(userId) {
      const state = engine.state();
      return state.tokenIdsByUser
        .of(userId)
        .map((id) => state.tokens.get(id))
        .filter((token): token is TokenRecord => token !== undefined)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    async touchToken(tokenId, at) {
      ensureOpen();
      const token = engine.state().tokens.get(tokenId);
      if (!token) return false;
      change(['token', { ...token, lastUsedAt: at }]);
      await commit();
      return true;
    },

    async revokeToken(tokenId) {
      ensureOpen();
      if (!engine.state().tokens.has(tokenId)) return false;
      change(['tokenDeleted', tokenId]);
      await commit();
      return true;
    },

    async revokeAllTokens(userId) {
      ensureOpen();
      const ids = engine.state().tokenIdsByUser.of(userId);
      change(...ids.map((id): Change => ['tokenDeleted', id]));
      if (ids.length > 0) await commit();
      return ids.length;
    },

    async isRegistrationOpen() {
      return engine.state().registrationOpen;
    },

    async setRegistrationOpen(open) {
      ensureOpen();
      if (engine.state().registrationOpen === open) return;
      change(['registrationOpen', open]);
      await commit();
    },

    async keepSetupCode(offered) {
      setupCode ??= offered;
      return setupCode;
    },
  };
}
