/**
 * Which browser origins may call the API and open sockets: the server's own origin, the
 * configured allowlist, and requests without an Origin header (scripts, the desktop app).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { sendError } from './errors.js';

export type OriginCheck = (origin: string | undefined, headers: IncomingHttpHeaders) => boolean;

export function createOriginCheck(
  allowed: readonly string[],
  ownOrigins: () => string[],
): OriginCheck {
  return (origin, headers) => {
    if (origin === undefined) return true;
    if (allowed.includes(origin) || ownOrigins().includes(origin)) return true;
    // Same origin as the Host the browser asked for: pages this server served itself.
    return URL.canParse(origin) && new URL(origin).host === headers.host;
  };
}

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'Authorization, Content-Type';

/** CORS for allowed origins; requests from other origins are refused before any handler runs. */
export function corsGuard(isAllowed: OriginCheck): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    res.vary('Origin');
    if (!isAllowed(origin, req.headers)) {
      sendError(res, 'forbidden', `Requests from ${origin} are not allowed by this server.`);
      return;
    }
    if (origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
