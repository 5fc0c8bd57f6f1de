/**
 * Lets the blog's bell open its socket with the page's session cookie instead of `auth.token`:
 * page script can never read the HttpOnly cookie, so the token never reaches JavaScript.
 *
 * Cookie auth is what cross-site WebSocket hijacking abuses (browsers attach cookies to a socket
 * that another site's page opens), so it is accepted only from a browser that says where it
 * comes from: the handshake must carry an Origin header, and socket.io's `allowRequest` has
 * already refused every Origin outside the allowlist (server/realtime/socketServer.ts) before
 * this runs. The bell connects over WebSocket only, whose handshake always carries Origin.
 * An explicit `auth.token` always wins, so the tray app and scripts are unaffected.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { sessionTokenFromCookies } from './session.js';

export interface HandshakeLike {
  auth: unknown;
  headers: IncomingHttpHeaders;
}

/** The handshake's `auth`, with the web session's token filled in when it may be used. */
export function authWithWebSession(handshake: HandshakeLike): unknown {
  const auth = handshake.auth;
  const given = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>) : {};
  if (given.token !== undefined || handshake.headers.origin === undefined) return auth;
  const token = sessionTokenFromCookies(handshake.headers.cookie);
  return token === undefined ? auth : { ...given, token };
}
