/**
 * The web session: a device token from the accounts service (labelled "web", stored hashed like
 * any other, revoked on sign-out) carried in an HttpOnly, SameSite=Lax cookie, Secure over https.
 * Over https the cookies take the __Host- prefix, so a sibling subdomain cannot plant them.
 */
import { parse } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';

export const WEB_DEVICE_LABEL = 'web';
const SESSION_COOKIE = 'tidings_session';
const ANONYMOUS_COOKIE = 'tidings_anon';
const SESSION_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

const cookieName = (base: string, secure: boolean): string => (secure ? `__Host-${base}` : base);

const cookieOptions = (secure: boolean, maxAge?: number): CookieOptions => ({
  httpOnly: true,
  sameSite: 'lax',
  secure,
  path: '/',
  ...(maxAge === undefined ? {} : { maxAge }),
});

/** Reads one cookie from a raw Cookie header (HTTP requests and socket.io handshakes alike). */
function readCookie(
  cookieHeader: string | undefined,
  base: string,
  secure: boolean,
): string | undefined {
  if (!cookieHeader) return undefined;
  const value = parse(cookieHeader)[cookieName(base, secure)];
  // A session token is 43 base64url characters; anything far off is not worth a store lookup.
  return value && value.length <= 200 ? value : undefined;
}

/**
 * For the socket handshake, which cannot tell whether a TLS-terminating proxy served the page
 * (express can, with trust proxy): the __Host- cookie when there is one, else the plain one.
 */
export const sessionTokenFromCookies = (cookieHeader: string | undefined): string | undefined =>
  readCookie(cookieHeader, SESSION_COOKIE, true) ?? readCookie(cookieHeader, SESSION_COOKIE, false);

export const sessionTokenOf = (req: Request): string | undefined =>
  readCookie(req.headers.cookie, SESSION_COOKIE, req.secure);

export const anonymousSecretOf = (req: Request): string | undefined =>
  readCookie(req.headers.cookie, ANONYMOUS_COOKIE, req.secure);

export function setSessionCookie(req: Request, res: Response, token: string): void {
  res.cookie(cookieName(SESSION_COOKIE, req.secure), token, {
    ...cookieOptions(req.secure, SESSION_MAX_AGE_MS),
  });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(cookieName(SESSION_COOKIE, req.secure), cookieOptions(req.secure));
}

export function setAnonymousCookie(req: Request, res: Response, secret: string): void {
  // A browser-session cookie: it only has to outlive the sign-in form it protects.
  res.cookie(cookieName(ANONYMOUS_COOKIE, req.secure), secret, cookieOptions(req.secure));
}
