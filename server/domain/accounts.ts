/**
 * Accounts, roles and device tokens. The first account on a fresh server is admin and author;
 * admins make other users authors; an operator can close open registration.
 */
import type {
  LoginRequest,
  PublicUser,
  RegisterRequest,
  LoginResponse,
} from '../../contract/wire.js';
import {
  ConflictError,
  type AccountStore,
  type SubscriptionStore,
  type UserRecord,
} from '../store/store.js';
import { DomainError } from './errors.js';
import { hashPassword, verifyPassword, DEFAULT_LOG2_COST } from './passwords.js';
import type { Push } from './push.js';
import { hashToken, newToken } from './tokens.js';

/** Who is calling: the user and the device token they used (so logout revokes just that one). */
export interface Session {
  user: UserRecord;
  tokenId: string;
}

export interface AccountOptions {
  /** A user's profile says whether they are subscribed; nothing else here touches subscriptions. */
  store: AccountStore & Pick<SubscriptionStore, 'isSubscribed'>;
  push: Push;
  /** log2 of scrypt's N. Lower only for tests and benchmarks. */
  passwordCost?: number;
}

const DEFAULT_DEVICE = 'unnamed device';

export function createAccounts({ store, push, passwordCost = DEFAULT_LOG2_COST }: AccountOptions) {
  // Compared against when the username does not exist, so a wrong name costs as much as a wrong
  // password and response times do not reveal which usernames exist.
  const decoyHash = hashPassword('decoy password', passwordCost);
  // Registrations run one at a time so two racing "first accounts" cannot both become admin.
  let registering: Promise<unknown> = Promise.resolve();

  async function toPublicUser(user: UserRecord): Promise<PublicUser> {
    return {
      id: user.id,
      username: user.username,
      isAdmin: user.isAdmin,
      isAuthor: user.isAuthor,
      subscribed: await store.isSubscribed(user.id),
      createdAt: user.createdAt,
    };
  }

  async function createAccount(
    input: RegisterRequest,
    roles: { isAdmin: boolean; isAuthor: boolean },
  ): Promise<UserRecord> {
    const passwordHash = await hashPassword(input.password, passwordCost);
    const run = registering.then(async () => {
      const first = (await store.countUsers()) === 0;
      try {
        return await store.createUser({
          username: input.username,
          passwordHash,
          isAdmin: first || roles.isAdmin,
          isAuthor: first || roles.isAuthor,
        });
      } catch (error) {
        if (error instanceof ConflictError) {
          throw new DomainError('conflict', `The username "${input.username}" is taken.`);
        }
        throw error;
      }
    });
    registering = run.catch(() => undefined);
    return run;
  }

  return {
    toPublicUser,

    /** Self-service sign-up; refused while registration is closed. */
    async register(input: RegisterRequest): Promise<UserRecord> {
      if (!(await store.isRegistrationOpen())) {
        throw new DomainError(
          'registration_closed',
          'Registration is closed on this server; ask its operator for an account.',
        );
      }
      return createAccount(input, { isAdmin: false, isAuthor: false });
    },

    /** Operator path (CLI): works while registration is closed and can grant roles. */
    addUser(
      input: RegisterRequest,
      roles: { isAdmin: boolean; isAuthor: boolean },
    ): Promise<UserRecord> {
      return createAccount(input, roles);
    },

    async login(input: LoginRequest): Promise<LoginResponse> {
      const user = await store.findUserByUsername(input.username);
      const valid = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash));
      if (!user || !valid) throw new DomainError('unauthorized', 'Wrong username or password.');
      const token = newToken();
      await store.createToken({
        userId: user.id,
        tokenHash: hashToken(token),
        device: input.device ?? DEFAULT_DEVICE,
      });
      return { token, user: await toPublicUser(user) };
    },

    /** The session a token belongs to, or undefined for unknown or revoked tokens. */
    async authenticate(token: string): Promise<Session | undefined> {
      const record = await store.findTokenByHash(hashToken(token));
      if (!record) return undefined;
      const user = await store.getUser(record.userId);
      return user ? { user, tokenId: record.id } : undefined;
    },

    async logout(session: Session): Promise<void> {
      await store.revokeToken(session.tokenId);
      push.tokensRevoked([session.tokenId]);
    },

    async revokeAllTokens(username: string): Promise<number> {
      const user = await requireUser(username);
      const count = await store.revokeAllTokens(user.id);
      push.userTokensRevoked(user.id);
      return count;
    },

    async setAuthor(actor: UserRecord, username: string, isAuthor: boolean): Promise<UserRecord> {
      if (!actor.isAdmin) throw new DomainError('forbidden', 'Only admins can change roles.');
      return setAuthorOf(username, isAuthor);
    },

    /** Operator path (CLI). */
    makeAuthor(username: string): Promise<UserRecord> {
      return setAuthorOf(username, true);
    },

    async setRegistrationOpen(open: boolean): Promise<void> {
      await store.setRegistrationOpen(open);
    },
  };

  async function requireUser(username: string): Promise<UserRecord> {
    const user = await store.findUserByUsername(username);
    if (!user) throw new DomainError('not_found', `There is no user "${username}".`);
    return user;
  }

  async function setAuthorOf(username: string, isAuthor: boolean): Promise<UserRecord> {
    const user = await requireUser(username);
    const updated = await store.setAuthor(user.id, isAuthor);
    if (!updated) throw new DomainError('not_found', `There is no user "${username}".`);
    return updated;
  }
}

export type Accounts = ReturnType<typeof createAccounts>;
