/**
 * CSRF protection for every form POST: a synchronizer token bound to the session, derived rather
 * than stored. The token is HMAC-SHA256(key = the session's secret, "tidings-csrf-v1").
 *
 * - Signed in, the key is the session token itself. It lives only in an HttpOnly cookie, so a
 *   cross-site page can neither read the key nor the token rendered into our forms. Signing out
 *   revokes the session and with it every token issued for it; nothing extra is stored, and it
 *   survives restarts and works across several server nodes without a shared secret.
 * - Signed out (the sign-in and sign-up forms, against login CSRF), the key is a random per-browser
 *   value in its own HttpOnly cookie.
 *
 * Why not csrf-csrf's double-submit cookie: it needs a server-wide secret to manage and rotate,
 * and its cookie is a second credential; binding to the session token we already have is simpler.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PURPOSE = 'tidings-csrf-v1';

export function csrfTokenFor(sessionSecret: string): string {
  return createHmac('sha256', sessionSecret).update(PURPOSE).digest('base64url');
}

export function isValidCsrfToken(sessionSecret: string, candidate: unknown): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 100) {
    return false;
  }
  const expected = Buffer.from(csrfTokenFor(sessionSecret));
  const given = Buffer.from(candidate);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function newAnonymousSecret(): string {
  return randomBytes(32).toString('base64url');
}
