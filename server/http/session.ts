/**
 * Who is calling. The API takes a device token as `Authorization: Bearer <token>`; the blog's
 * pages can hand the same kind of token to `sessionFromToken` from a cookie.
 */
import type { Request } from 'express';
import type { Accounts, Session } from '../domain/accounts.js';
import { DomainError } from '../domain/errors.js';

export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S{1,200})\s*$/i.exec(header) : null;
  return match?.[1];
}

export function createSessions(accounts: Accounts) {
  /** The caller's session, or undefined when anonymous. A bad token is refused, not ignored. */
  async function optionalSession(req: Request): Promise<Session | undefined> {
    if (req.get('authorization') === undefined) return undefined;
    const token = bearerToken(req);
    const session = token ? await accounts.authenticate(token) : undefined;
    if (!session) {
      throw new DomainError(
        'unauthorized',
        'This token is not valid (malformed, signed out or revoked); sign in again.',
      );
    }
    return session;
  }

  return {
    optionalSession,
    sessionFromToken: (token: string) => accounts.authenticate(token),
    async requireSession(req: Request): Promise<Session> {
      const session = await optionalSession(req);
      if (!session) {
        throw new DomainError('unauthorized', 'Sign in first: send Authorization: Bearer <token>.');
      }
      return session;
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
