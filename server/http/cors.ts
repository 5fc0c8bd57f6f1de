/**
 * The HTTP side of server/edge/origins.ts. Every request must name this server in Host (DNS
 * rebinding) and come from an allowed origin; other requests are refused before any handler runs.
 * Allowlisted origins get CORS on the API only, and never with credentials: the API takes bearer
 * tokens, and the cookie-authenticated pages must stay unreadable to every other origin.
 */
import type { RequestHandler } from 'express';
import type { OriginPolicy } from '../edge/origins.js';
import { sendError } from './errors.js';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'Authorization, Content-Type';
const API_PATH = /^\/api\//;

export function originGuard(policy: OriginPolicy): RequestHandler {
  return (req, res, next) => {
    if (!policy.isHostAllowed(req.headers.host)) {
      sendError(
        res,
        'forbidden',
        `This server does not answer to the host name "${req.headers.host ?? ''}"; its operator can add it with --allowed-hosts.`,
      );
      return;
    }
    const origin = req.get('origin');
    res.vary('Origin');
    if (!policy.isOriginAllowed(origin, req.headers)) {
      sendError(res, 'forbidden', `Requests from ${origin} are not allowed by this server.`);
      return;
    }
    const crossOrigin = origin !== undefined && !policy.isOwnOrigin(origin, req.headers);
    if (crossOrigin && API_PATH.test(req.path)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
