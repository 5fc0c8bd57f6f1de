/**
 * Lets the blog's bell open its socket with the page's session cookie instead of `auth.token`:
 * page script can never read the HttpOnly cookie, so the token never reaches JavaScript.
 *
 * Cookie auth is what cross-site WebSocket hijacking abuses (browsers attach cookies to a socket
 * that another site's page opens), so it is accepted only from the server's OWN origin: the
 * handshake must carry an Origin header naming this server. Allowlisted origins may open sockets
 * with a token, never with the cookie. The bell connects over WebSocket only, whose handshake
 * always carries Origin. An explicit `auth.token` always wins, so the tray app and scripts are
 * unaffected.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { OriginCheck } from '../edge/origins.js';
import { sessionTokenFromCookies } from './session.js';

export interface HandshakeLike {
  auth: unknown;
  headers: IncomingHttpHeaders;
}

/** The handshake's `auth`, with the web session's token filled in when it may be used. */
export function authWithWebSession(handshake: HandshakeLike, isOwnOrigin: OriginCheck): unknown {
  const auth = handshake.auth;
  const given = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>) : {};
  if (given.token !== undefined || !isOwnOrigin(handshake.headers.origin, handshake.headers)) {
    return auth;
  }
  const token = sessionTokenFromCookies(handshake.headers.cookie);
  return token === undefined ? auth : { ...given, token };
}
