/** The PostgreSQL driver's AccountStore: users, tokens, the registration setting, the setup code. */
import { ConflictError, type AccountStore, type TokenRecord, type UserRecord } from '../store.js';
import { newId } from '../lowdb/ids.js';
import { createBatchedLookup } from './batchedLookup.js';
import type { Queryable } from './database.js';
import type { PostgresEngine } from './engine.js';
import { REVOKED_CHANNEL, type Revocation } from './latestSeq.js';
import { allRows, affectsOneRow, firstRow, optionalTime } from './rows.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  is_admin: boolean;
  is_author: boolean;
  created_at: Date;
}

interface TokenRow {
  id: string;
  user_id: string;
  token_hash: string;
  device: string;
  created_at: Date;
  last_used_at: Date | null;
}

const USER_COLUMNS = 'id, username, password_hash, is_admin, is_author, created_at';
const TOKEN_COLUMNS = 'id, user_id, token_hash, device, created_at, last_used_at';

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  isAdmin: row.is_admin,
  isAuthor: row.is_author,
  createdAt: row.created_at.toISOString(),
});

const toToken = (row: TokenRow): TokenRecord => ({
  id: row.id,
  userId: row.user_id,
  tokenHash: row.token_hash,
  device: row.device,
  createdAt: row.created_at.toISOString(),
  ...optionalTime('lastUsedAt', row.last_used_at),
});

/** The same key lowdb uses: usernames are unique case-insensitively. */
const usernameKey = (username: string): string => username.toLowerCase();

/** Delivered to every node at COMMIT (latestSeq.ts listens). */
const announceRevocation = (client: Queryable, revocation: Revocation) =>
  client.query('SELECT pg_notify($1, $2)', [REVOKED_CHANNEL, JSON.stringify(revocation)]);

export function accountQueries(engine: PostgresEngine): AccountStore {
  const { db, write, now, figures } = engine;
  const user = (where: string, params: unknown[]) =>
    firstRow(db, `SELECT ${USER_COLUMNS} FROM users ${where}`, params, toUser);
  // Every socket's handshake looks up its token and then its user (server/domain/accounts.ts):
  // in a reconnect storm, one query for many of them (batchedLookup.ts).
  const userById = createBatchedLookup({
    query: async (ids: string[]) =>
      (
        await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ANY($1::text[])`, [
          ids,
        ])
      ).rows,
    keyOf: (row) => row.id,
    toValue: ([row]) => row && toUser(row),
  });
  const tokenByHash = createBatchedLookup({
    query: async (hashes: string[]) =>
      (
        await db.query<TokenRow>(
          `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE token_hash = ANY($1::text[])`,
          [hashes],
        )
      ).rows,
    keyOf: (row) => row.token_hash,
    toValue: ([row]) => row && toToken(row),
  });

  return {
    async countUsers() {
      const { rows } = await db.query<{ count: number }>('SELECT count(*) AS count FROM users');
      return rows[0]?.count ?? 0;
    },

    async createUser(input) {
      const record: UserRecord = { id: newId(), ...input, createdAt: now() };
      const inserted = await write((client) =>
        affectsOneRow(
          client,
          `INSERT INTO users (id, username, username_key, password_hash, is_admin, is_author,
                              created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username_key) DO NOTHING`,
          [
            record.id,
            record.username,
            usernameKey(record.username),
            record.passwordHash,
            record.isAdmin,
            record.isAuthor,
            record.createdAt,
          ],
        ),
      );
      if (!inserted) throw new ConflictError(`the username "${input.username}" is taken`);
      figures.count({ users: 1 });
      return record;
    },

    getUser: userById,

    findUserByUsername: (username) => user('WHERE username_key = $1', [usernameKey(username)]),

    findFirstAdmin: () => user('WHERE is_admin ORDER BY created_at, id LIMIT 1', []),

    setAuthor: (userId, isAuthor) =>
      write((client) =>
        firstRow(
          client,
          `UPDATE users SET is_author = $2 WHERE id = $1 RETURNING ${USER_COLUMNS}`,
          [userId, isAuthor],
          toUser,
        ),
      ),

    async createToken(token) {
      const record: TokenRecord = { id: newId(), ...token, createdAt: now() };
      await write((client) =>
        client.query(
          `INSERT INTO tokens (id, user_id, token_hash, device, created_at)
           VALUES ($1, $2, $3, $4, $5)`,
          [record.id, record.userId, record.tokenHash, record.device, record.createdAt],
        ),
      );
      return record;
    },

    findTokenByHash: tokenByHash,

    listTokens: (userId) =>
      allRows(
        db,
        `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
        toToken,
      ),

    touchToken: (tokenId, at) =>
      write((client) =>
        affectsOneRow(client, 'UPDATE tokens SET last_used_at = $2 WHERE id = $1', [tokenId, at]),
      ),

    revokeToken: (tokenId) =>
      write(async (client) => {
        const revoked = await affectsOneRow(client, 'DELETE FROM tokens WHERE id = $1', [tokenId]);
        if (revoked) await announceRevocation(client, { tokenIds: [tokenId] });
        return revoked;
      }),

    revokeAllTokens: (userId) =>
      write(async (client) => {
        const { rowCount } = await client.query('DELETE FROM tokens WHERE user_id = $1', [userId]);
        if (rowCount) await announceRevocation(client, { userId });
        return rowCount ?? 0;
      }),

    async isRegistrationOpen() {
      const { rows } = await db.query<{ registration_open: boolean }>(
        'SELECT registration_open FROM settings',
      );
      return rows[0]?.registration_open ?? true;
    },

    async setRegistrationOpen(open) {
      await write((client) => client.query('UPDATE settings SET registration_open = $1', [open]));
    },

    async keepSetupCode(offered) {
      // The first offer is kept; every later one (another node starting) gets that one back.
      const kept = await write(async (client) => {
        await client.query(
          `INSERT INTO setup_code (code_digest, issued_by, issued_at) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
          [offered.digest, offered.issuedBy, offered.issuedAt],
        );
        return firstRow(
          client,
          'SELECT code_digest, issued_by, issued_at FROM setup_code',
          [],
          (row: { code_digest: string; issued_by: string; issued_at: Date }) => ({
            digest: row.code_digest,
            issuedBy: row.issued_by,
            issuedAt: row.issued_at.toISOString(),
          }),
        );
      });
      if (!kept) throw new Error('setup_code has no row after an insert');
      return kept;
    },
  };
}
