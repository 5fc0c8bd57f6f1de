/**
 * Who is asking: the session behind the cookie (if any), what every page shows about them, and
 * the secret their CSRF tokens are bound to. Also the CSRF guard every form POST passes first.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Accounts, Session } from '../domain/accounts.js';
import type { Inbox } from '../domain/inbox.js';
import { csrfTokenFor, isValidCsrfToken, newAnonymousSecret } from './csrf.js';
import type { PageContext } from './pages/layout.js';
import { sendProblem } from './responses.js';
import {
  anonymousSecretOf,
  clearSessionCookie,
  sessionTokenOf,
  setAnonymousCookie,
} from './session.js';

export interface Visitor {
  session: Session | undefined;
  context: PageContext;
}

/** A post body may be 50,000 characters; URL-encoding can triple it. */
const FORM_BODY_LIMIT = '200kb';
const CsrfFieldSchema = z.object({ _csrf: z.string().max(100) });

export function createVisitors(accounts: Accounts, inbox: Inbox) {
  const visitors = new WeakMap<Request, Visitor>();

  function of(req: Request): Visitor {
    const visitor = visitors.get(req);
    if (!visitor)
      throw new Error('no visitor for this request: the resolve middleware did not run');
    return visitor;
  }

  const resolve: RequestHandler = async (req, res, next) => {
    const token = sessionTokenOf(req);
    const session = token ? await accounts.authenticate(token) : undefined;
    if (token && !session) clearSessionCookie(req, res);
    let secret = session ? token : anonymousSecretOf(req);
    if (!secret) {
      secret = newAnonymousSecret();
      setAnonymousCookie(req, res, secret);
    }
    const viewer = session ? await accounts.toPublicUser(session.user) : undefined;
    const unreadCount = session ? await inbox.unreadCount(session.user.id) : 0;
    visitors.set(req, {
      session,
      context: { viewer, csrfToken: csrfTokenFor(secret), unreadCount },
    });
    next();
  };

  const parseForm = express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT });

  /** Every form POST carries the token bound to this visitor's session, or changes nothing. */
  const requireCsrfToken: RequestHandler = (req, res, next) => {
    if (req.method !== 'POST') {
      next();
      return;
    }
    parseForm(req, res, (error?: unknown) => {
      if (error) {
        next(error);
        return;
      }
      const visitor = of(req);
      const secret = visitor.session ? sessionTokenOf(req) : anonymousSecretOf(req);
      const field = CsrfFieldSchema.safeParse(req.body ?? {});
      if (secret && field.success && isValidCsrfToken(secret, field.data._csrf)) {
        next();
        return;
      }
      sendProblem(req, res, visitor.context, {
        code: 'forbidden',
        title: 'Form expired',
        message:
          'This form was missing its security token or it was stale, so nothing was changed. Go back, reload the page and try again.',
      });
    });
  };

  /** The session of a page that needs one; everyone else is sent to sign in first. */
  function signedIn(req: Request, res: Response): Session | undefined {
    const { session } = of(req);
    if (!session) {
      const next = req.method === 'GET' ? req.originalUrl : '/';
      res.redirect(303, `/signin?next=${encodeURIComponent(next)}`);
    }
    return session;
  }

  return {
    resolve,
    requireCsrfToken,
    of,
    signedIn,
    /** For the error handler, which may run before the visitor is known. */
    contextOf: (req: Request): PageContext | undefined => visitors.get(req)?.context,
  };
}

export type Visitors = ReturnType<typeof createVisitors>;
