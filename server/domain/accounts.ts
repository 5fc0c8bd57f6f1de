/**
 * Accounts, roles and device tokens. The first account on a fresh server is admin and author, and
 * only the operator can create it: with `users add` (the CLI) or by signing up with the setup code
 * the server printed in its log. Admins make other users authors; an operator can close open
 * registration.
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
import { matchesSetupCode } from './setupCode.js';
import { hashToken, newToken } from './tokens.js';
import { DEFAULT_TOKEN_IDLE_DAYS, isIdleTooLong, lastUseOf, shouldRecordUse } from './tokenUse.js';

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
  /**
   * What a sign-up must bring while the server has no account (server/domain/setupCode.ts):
   * the digests of the codes accepted (agreeSetupCode). Without one, self-service sign-up cannot
   * create the first account at all.
   */
  setupCodeDigests?: readonly string[];
  /** A token unused for this many days is refused (and removed) when it next shows up. */
  tokenIdleDays?: number;
  /** The clock, so expiry can be reasoned about; the system's by default. */
  now?: () => Date;
}

/** One signed-in device as its owner sees it on the account page. */
export interface Device {
  tokenId: string;
  device: string;
  createdAt: string;
  /** To within TOKEN_USE_RESOLUTION_MS (tokenUse.ts); createdAt until its first recorded use. */
  lastUsedAt: string;
  /** The device asking. */
  current: boolean;
}

const DEFAULT_DEVICE = 'unnamed device';

export function createAccounts({
  store,
  push,
  passwordCost = DEFAULT_LOG2_COST,
  setupCodeDigests = [],
  tokenIdleDays = DEFAULT_TOKEN_IDLE_DAYS,
  now = () => new Date(),
}: AccountOptions) {
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

  /**
   * Self-service sign-up may create the first account only with the setup code, which works even
   * while registration is closed; without a code, a closed server says it is closed.
   */
  async function checkSelfService(input: RegisterRequest, first: boolean): Promise<void> {
    const bringsCode = first && input.setupCode !== undefined;
    if (!bringsCode && !(await store.isRegistrationOpen())) {
      throw new DomainError(
        'registration_closed',
        'Registration is closed on this server; ask its operator for an account.',
      );
    }
    if (!first) return;
    if (matchesSetupCode(setupCodeDigests, input.setupCode ?? '')) return;
    throw new DomainError(
      'forbidden',
      bringsCode
        ? 'That setup code is not right: copy it again from the server’s log.'
        : 'This server has no admin yet: sign up with the setup code from the server’s log, or ask its operator.',
    );
  }

  async function createAccount(
    input: RegisterRequest,
    roles: { isAdmin: boolean; isAuthor: boolean },
    selfService: boolean,
  ): Promise<UserRecord> {
    const passwordHash = await hashPassword(input.password, passwordCost);
    const run = registering.then(async () => {
      const first = (await store.countUsers()) === 0;
      if (selfService) await checkSelfService(input, first);
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
    tokenIdleDays,

    /**
     * Self-service sign-up: the first account needs the setup code (and then works even while
     * registration is closed); later ones are refused while registration is closed, and any
     * setup code they carry is ignored.
     */
    register(input: RegisterRequest): Promise<UserRecord> {
      return createAccount(input, { isAdmin: false, isAuthor: false }, true);
    },

    /** Whether the server still waits for its first account (the sign-up page asks for the code). */
    async awaitsSetup(): Promise<boolean> {
      return (await store.countUsers()) === 0;
    },

    /** Operator path (CLI): works while registration is closed and can grant roles. */
    addUser(
      input: RegisterRequest,
      roles: { isAdmin: boolean; isAuthor: boolean },
    ): Promise<UserRecord> {
      return createAccount(input, roles, false);
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

    /**
     * The session a token belongs to, or undefined for unknown, revoked or idle-expired tokens
     * (HTTP, pages and the socket handshake all ask here). An expired token is removed; a used
     * one has its last use recorded when the record is more than a few minutes stale.
     */
    async authenticate(token: string): Promise<Session | undefined> {
      const record = await store.findTokenByHash(hashToken(token));
      if (!record) return undefined;
      const at = now();
      if (isIdleTooLong(record, at, tokenIdleDays)) {
        // Best effort: it is refused either way, and the next use tries again.
        await store.revokeToken(record.id).catch(() => false);
        return undefined;
      }
      const user = await store.getUser(record.userId);
      if (!user) return undefined;
      if (shouldRecordUse(record, at)) {
        // Bookkeeping: a read must not fail because its last-use time could not be saved.
        await store.touchToken(record.id, at.toISOString()).catch(() => false);
      }
      return { user, tokenId: record.id };
    },

    /** The user's signed-in devices, oldest first (expired ones are already gone for them). */
    async devicesOf(session: Session): Promise<Device[]> {
      const at = now();
      return (await store.listTokens(session.user.id))
        .filter((token) => !isIdleTooLong(token, at, tokenIdleDays))
        .map((token) => ({
          tokenId: token.id,
          device: token.device,
          createdAt: token.createdAt,
          lastUsedAt: lastUseOf(token),
          current: token.id === session.tokenId,
        }));
    },

    /** Signs one of the user's own devices out; its live sockets close at once. */
    async signOutDevice(session: Session, tokenId: string): Promise<void> {
      const owned = (await store.listTokens(session.user.id)).some((token) => token.id === tokenId);
      if (!owned) throw new DomainError('not_found', 'That device is not signed in any more.');
      await store.revokeToken(tokenId);
      push.tokensRevoked([tokenId]);
    },

    /** Signs the user out on every device, this one included. */
    async signOutEverywhere(session: Session): Promise<number> {
      return revokeAllTokens(session.user.username);
    },

    async logout(session: Session): Promise<void> {
      await store.revokeToken(session.tokenId);
      push.tokensRevoked([session.tokenId]);
    },

    /** An admin signs a user out of every device (a stolen laptop), while the server runs. */
    async revokeTokensOf(actor: UserRecord, username: string): Promise<number> {
      if (!actor.isAdmin) {
        throw new DomainError('forbidden', 'Only admins can sign other users out.');
      }
      return revokeAllTokens(username);
    },

    /** Operator path (CLI). */
    revokeAllTokens,

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

  /** Every device of the user is signed out, and its live sockets are closed at once. */
  async function revokeAllTokens(username: string): Promise<number> {
    const user = await requireUser(username);
    const count = await store.revokeAllTokens(user.id);
    push.userTokensRevoked(user.id);
    return count;
  }

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
