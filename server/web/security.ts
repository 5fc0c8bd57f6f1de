/**
 * Security headers for the pages: a strict Content-Security-Policy (helmet). Everything comes from
 * this server; no inline script or style (the templates have none), no plugins, no framing, forms
 * post only here. `connect-src 'self'` covers the bell's socket.io connection (ws/wss to the same
 * host) and the like button's fetch. `upgrade-insecure-requests` only over https, because over
 * plain http (a self-hoster on a LAN) it would break every asset.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const directives = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

// The API's helmet() says no-referrer, and with it Chromium sends `Origin: null` on our own form
// posts, which the origin guard rightly refuses. same-origin keeps the real Origin on our own
// requests and still leaks nothing to other sites.
const referrerPolicy = { policy: 'same-origin' } as const;

const overHttp = helmet({
  contentSecurityPolicy: { useDefaults: false, directives },
  strictTransportSecurity: false,
  referrerPolicy,
});
const overHttps = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { ...directives, upgradeInsecureRequests: [] },
  },
  referrerPolicy,
});

export const pageSecurityHeaders: RequestHandler = (req, res, next) =>
  (req.secure ? overHttps : overHttp)(req, res, next);
