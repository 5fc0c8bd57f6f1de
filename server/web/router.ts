/**
 * The blog's pages: an express router the HTTP app mounts after its API. It owns no business
 * rules: every change goes through the domain services (which also push the realtime events), and
 * the schemas are the contract's. Forms work without JavaScript (POST-redirect-GET); the page
 * script only enhances them.
 */
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  LoginRequestSchema,
  PostInputSchema,
  PostListQuerySchema,
  RegisterRequestSchema,
  UsernameSchema,
  postPagePath,
  type ErrorCode,
} from '../../contract/wire.js';
import type { Accounts, Session } from '../domain/accounts.js';
import { DomainError } from '../domain/errors.js';
import type { Inbox } from '../domain/inbox.js';
import type { Posts } from '../domain/posts.js';
import { STATUS_OF } from '../http/errors.js';
import type { RateLimits } from '../http/rateLimits.js';
import type { Logger } from '../log.js';
import { StorageUnavailableError } from '../store/store.js';
import { csrfTokenFor, isValidCsrfToken, newAnonymousSecret } from './csrf.js';
import { fieldErrorsOf } from './formErrors.js';
import { renderSignIn, renderSignUp } from './pages/account.js';
import { renderAdmin } from './pages/admin.js';
import { renderCompose } from './pages/compose.js';
import { renderHome } from './pages/home.js';
import type { PageContext } from './pages/layout.js';
import { renderNotifications } from './pages/notifications.js';
import { renderPost } from './pages/post.js';
import { renderNotFound, renderProblem } from './pages/problem.js';
import { pageSecurityHeaders } from './security.js';
import {
  WEB_DEVICE_LABEL,
  anonymousSecretOf,
  clearSessionCookie,
  sessionTokenOf,
  setAnonymousCookie,
  setSessionCookie,
} from './session.js';

export interface WebDependencies {
  accounts: Accounts;
  posts: Posts;
  inbox: Inbox;
  /** The API's limits, so signing in, signing up and publishing cost the same on both paths. */
  rateLimits: RateLimits;
  log: Logger;
}

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
const HOME_PAGE_SIZE = 10;
/** A post body may be 50,000 characters; URL-encoding can triple it. */
const FORM_BODY_LIMIT = '200kb';
/** The API and the realtime transport have their own error formats; the pages stay out of them. */
const NOT_PAGES = /^\/(api|socket\.io)(\/|$)|^\/(healthz|metrics)$/;

interface RequestState {
  session: Session | undefined;
  context: PageContext;
}

/** Where to go after signing in or subscribing: only paths on this site, never another origin. */
const LocalPathSchema = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s\\]*$/)
  .catch('/');

const CsrfFieldSchema = z.object({ _csrf: z.string().max(100) });
const LikeFormSchema = z.object({ action: z.enum(['like', 'unlike']) });
const SubscriptionFormSchema = z.object({
  action: z.enum(['subscribe', 'unsubscribe']),
  next: LocalPathSchema.optional(),
});
const AuthorFormSchema = z.object({ username: UsernameSchema, author: z.enum(['true', 'false']) });

const wantsJson = (req: Request): boolean => (req.get('accept') ?? '').includes('application/json');

export function createWebRouter({
  accounts,
  posts,
  inbox,
  rateLimits,
  log,
}: WebDependencies): Router {
  const router = Router();
  const states = new WeakMap<Request, RequestState>();

  const stateOf = (req: Request): RequestState => {
    const state = states.get(req);
    if (!state) throw new Error('page request state missing: resolveVisitor did not run');
    return state;
  };

  /** For pages that need a signed-in user: everyone else is sent to sign in first. */
  function signedIn(req: Request, res: Response): Session | undefined {
    const { session } = stateOf(req);
    if (!session) {
      const next = req.method === 'GET' ? req.originalUrl : '/';
      res.redirect(303, `/signin?next=${encodeURIComponent(next)}`);
    }
    return session;
  }

  function sendProblem(
    req: Request,
    res: Response,
    status: number,
    problem: { code: ErrorCode; title: string; message: string },
  ): void {
    if (wantsJson(req)) {
      res.status(status).json({ error: { code: problem.code, message: problem.message } });
      return;
    }
    const context = states.get(req)?.context ?? {
      viewer: undefined,
      csrfToken: '',
      unreadCount: 0,
    };
    res.status(status).type('html').send(renderProblem(context, problem));
  }

  router.use((req, _res, next) => (NOT_PAGES.test(req.path) ? next('router') : next()));
  router.use(pageSecurityHeaders);
  router.use('/assets', express.static(STATIC_DIR, { fallthrough: false, index: false }));

  // Who is asking, and the secret their CSRF tokens are bound to.
  router.use(async (req, res, next) => {
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
    states.set(req, {
      session,
      context: { viewer, csrfToken: csrfTokenFor(secret), unreadCount },
    });
    next();
  });

  // Every form POST carries the token bound to this visitor's session; anything else changes
  // nothing. Checked before any handler runs.
  const parseForm = express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT });
  router.use((req, res, next) => (req.method === 'POST' ? parseForm(req, res, next) : next()));
  router.use((req, res, next) => {
    if (req.method !== 'POST') {
      next();
      return;
    }
    const token = sessionTokenOf(req);
    const secret = stateOf(req).session ? token : anonymousSecretOf(req);
    const field = CsrfFieldSchema.safeParse(req.body ?? {});
    if (secret && field.success && isValidCsrfToken(secret, field.data._csrf)) {
      next();
      return;
    }
    sendProblem(req, res, 403, {
      code: 'forbidden',
      title: 'Form expired',
      message:
        'This form was missing its security token or it was stale, so nothing was changed. Go back, reload the page and try again.',
    });
  });

  const html = (res: Response, body: string, status = 200): void => {
    res.status(status).type('html').send(body);
  };

  // ---- reading ---------------------------------------------------------------------------

  router.get('/', async (req, res) => {
    const query = PostListQuerySchema.safeParse(req.query);
    if (!query.success) {
      sendProblem(req, res, 400, {
        code: 'invalid_payload',
        title: 'Not a page',
        message: 'That page number is not valid.',
      });
      return;
    }
    const { session, context } = stateOf(req);
    const list = await posts.list(
      session?.user,
      query.data.page ?? 1,
      query.data.limit ?? HOME_PAGE_SIZE,
    );
    html(res, renderHome(context, list));
  });

  router.get('/posts/:id', async (req, res) => {
    const { session, context } = stateOf(req);
    html(res, renderPost(context, await posts.get(session?.user, String(req.params.id))));
  });

  // ---- liking and subscribing --------------------------------------------------------------

  router.post('/posts/:id/like', async (req, res) => {
    const session = signedIn(req, res);
    if (!session) return;
    const id = String(req.params.id);
    const form = LikeFormSchema.safeParse(req.body);
    if (!form.success) throw new DomainError('invalid_payload', 'Choose like or unlike.');
    const result =
      form.data.action === 'like'
        ? await posts.like(session.user, id)
        : await posts.unlike(session.user, id);
    if (wantsJson(req)) res.json(result);
    else res.redirect(303, postPagePath(id));
  });

  router.post('/subscription', async (req, res) => {
    const session = signedIn(req, res);
    if (!session) return;
    const form = SubscriptionFormSchema.safeParse(req.body);
    if (!form.success) throw new DomainError('invalid_payload', 'Choose subscribe or unsubscribe.');
    await inbox.setSubscribed(session.user.id, form.data.action === 'subscribe');
    res.redirect(303, form.data.next ?? '/');
  });

  // ---- accounts ----------------------------------------------------------------------------

  router.get('/signup', (req, res) => html(res, renderSignUp(stateOf(req).context)));

  router.post('/signup', async (req, res) => {
    const { context } = stateOf(req);
    const username = typeof req.body.username === 'string' ? req.body.username : '';
    const input = RegisterRequestSchema.safeParse({ username, password: req.body.password });
    if (!input.success) {
      html(res, renderSignUp(context, { username, errors: fieldErrorsOf(input.error) }), 422);
      return;
    }
    try {
      await rateLimits.register(req.ip ?? 'unknown');
      await accounts.register(input.data);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const key = error.code === 'conflict' ? 'username' : 'form';
      const status = STATUS_OF[error.code];
      html(res, renderSignUp(context, { username, errors: { [key]: error.message } }), status);
      return;
    }
    const { token } = await accounts.login({ ...input.data, device: WEB_DEVICE_LABEL });
    setSessionCookie(req, res, token);
    res.redirect(303, '/');
  });

  router.get('/signin', (req, res) => {
    const next = LocalPathSchema.parse(req.query.next ?? '/');
    html(res, renderSignIn(stateOf(req).context, { next }));
  });

  router.post('/signin', async (req, res) => {
    const { context } = stateOf(req);
    const username = typeof req.body.username === 'string' ? req.body.username : '';
    const next = LocalPathSchema.parse(req.body.next ?? '/');
    const input = LoginRequestSchema.safeParse({ username, password: req.body.password });
    if (!input.success) {
      const errors = fieldErrorsOf(input.error);
      html(res, renderSignIn(context, { username, next, errors }), 422);
      return;
    }
    try {
      await rateLimits.login(req.ip ?? 'unknown', input.data.username);
      const { token } = await accounts.login({ ...input.data, device: WEB_DEVICE_LABEL });
      setSessionCookie(req, res, token);
      res.redirect(303, next);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const errors = { form: error.message };
      html(res, renderSignIn(context, { username, next, errors }), STATUS_OF[error.code]);
    }
  });

  router.post('/signout', async (req, res) => {
    const { session } = stateOf(req);
    if (session) await accounts.logout(session);
    clearSessionCookie(req, res);
    res.redirect(303, '/');
  });

  // ---- writing -----------------------------------------------------------------------------

  router.get('/compose', (req, res) => {
    const session = signedIn(req, res);
    if (!session) return;
    if (!session.user.isAuthor) {
      throw new DomainError('forbidden', 'Only authors can publish; ask an admin to make you one.');
    }
    html(res, renderCompose(stateOf(req).context));
  });

  router.post('/compose', async (req, res) => {
    const session = signedIn(req, res);
    if (!session) return;
    const { title, body } = textFields(req.body);
    const input = PostInputSchema.safeParse({ title, body });
    if (!input.success) {
      const errors = fieldErrorsOf(input.error);
      html(res, renderCompose(stateOf(req).context, { title, body, errors }), 422);
      return;
    }
    await rateLimits.publish(session.user.id);
    const post = await posts.publish(session.user, input.data);
    res.redirect(303, postPagePath(post.id));
  });

  router.get('/posts/:id/edit', async (req, res) => {
    const session = signedIn(req, res);
    if (!session) return;
    const post = await posts.get(session.user, String(req.params.id));
    if (post.author.id !== session.user.id) {
      throw new DomainError('forbidden', 'Only its author can change this post.');
    }
    const state = { postId: post.id, title: post.title, body: post.body };
    html(res, renderCompose(stateOf(req).context, state));
  });

  router.post('/posts/:id/edit', async (req, res) => {
    const session = signedIn(req, res);
    if (!session) return;
    const postId = String(req.params.id);
    const { title, body } = textFields(req.body);
    const input = PostInputSchema.safeParse({ title, body });
    if (!input.success) {
      const errors = fieldErrorsOf(input.error);
      html(res, renderCompose(stateOf(req).context, { postId, title, body, errors }), 422);
      return;
    }
    await posts.edit(session.user, postId, input.data);
    res.redirect(303, postPagePath(postId));
  });

  router.post('/posts/:id/delete', async (req, res) => {
    const session = signedIn(req, res);
    if (!session) return;
    await posts.remove(session.user, String(req.params.id));
    res.redirect(303, '/');
  });

  // ---- admin -------------------------------------------------------------------------------

  router.get('/admin', (req, res) => {
    const session = signedIn(req, res);
    if (!session) return;
    if (!session.user.isAdmin) throw new DomainError('forbidden', 'Only admins can change roles.');
    html(res, renderAdmin(stateOf(req).context));
  });

  router.post('/admin/authors', async (req, res) => {
    const session = signedIn(req, res);
    if (!session) return;
    const { context } = stateOf(req);
    const username = typeof req.body.username === 'string' ? req.body.username : '';
    const form = AuthorFormSchema.safeParse(req.body);
    if (!form.success) {
      html(res, renderAdmin(context, { username, errors: fieldErrorsOf(form.error) }), 422);
      return;
    }
    const makeAuthor = form.data.author === 'true';
    try {
      const user = await accounts.setAuthor(session.user, form.data.username, makeAuthor);
      const notice = `${user.username} ${user.isAuthor ? 'is now an author' : 'is no longer an author'}.`;
      html(res, renderAdmin(context, { notice }));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'forbidden') throw error;
      const errors = { username: error.message };
      html(res, renderAdmin(context, { username, errors }), STATUS_OF[error.code]);
    }
  });

  // ---- notifications (the bell's no-script fallback) ---------------------------------------

  router.get('/notifications', async (req, res) => {
    const session = signedIn(req, res);
    if (!session) return;
    html(
      res,
      renderNotifications(stateOf(req).context, await inbox.list(session.user.id, undefined)),
    );
  });

  router.post('/notifications/read', async (req, res) => {
    const session = signedIn(req, res);
    if (!session) return;
    await inbox.markRead(session.user.id, { all: true });
    res.redirect(303, '/notifications');
  });

  // ---- everything else ---------------------------------------------------------------------

  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    html(res, renderNotFound(stateOf(req).context), 404);
  });

  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof DomainError) {
      const status = STATUS_OF[error.code];
      if (error.code === 'not_found' && !wantsJson(req)) {
        html(res, renderNotFound(states.get(req)?.context ?? emptyContext), 404);
        return;
      }
      sendProblem(req, res, status, {
        code: error.code,
        title: TITLES[error.code],
        message: error.message,
      });
      return;
    }
    const status = statusOfParserError(error);
    if (status === 404) {
      html(res, renderNotFound(states.get(req)?.context ?? emptyContext), 404);
      return;
    }
    if (status === 413) {
      sendProblem(req, res, 413, {
        code: 'payload_too_large',
        title: 'Too large',
        message: 'That form was too large to accept. Nothing was changed.',
      });
      return;
    }
    if (status === 400) {
      sendProblem(req, res, 400, {
        code: 'invalid_payload',
        title: 'Bad request',
        message: 'That request could not be read. Nothing was changed.',
      });
      return;
    }
    if (error instanceof StorageUnavailableError) {
      sendProblem(req, res, 503, {
        code: 'storage_unavailable',
        title: TITLES.storage_unavailable,
        message: 'The server could not save this change, so nothing was changed. Try again later.',
      });
      return;
    }
    log.error(`web page failed on ${req.method} ${req.path}`, error);
    sendProblem(req, res, 500, {
      code: 'internal',
      title: 'Something went wrong',
      message: 'The server could not finish this request. Please try again in a moment.',
    });
  });

  return router;
}

const emptyContext: PageContext = { viewer: undefined, csrfToken: '', unreadCount: 0 };

const TITLES: Record<ErrorCode, string> = {
  unauthorized: 'Please sign in',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  invalid_payload: 'Bad request',
  payload_too_large: 'Too large',
  conflict: 'Conflict',
  registration_closed: 'Registration is closed',
  rate_limited: 'Slow down',
  storage_unavailable: 'Try again later',
  internal: 'Something went wrong',
};

/** body-parser and serve-static mark their refusals with a 4xx `status`; anything else is ours. */
function statusOfParserError(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const status = (error as { status: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** Form fields as text, so a failed submission can be shown again exactly as typed. */
function textFields(body: unknown): { title: string; body: string } {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return {
    title: typeof fields.title === 'string' ? fields.title : '',
    body: typeof fields.body === 'string' ? fields.body : '',
  };
}
