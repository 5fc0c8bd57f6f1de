/** Sign up, sign in and sign out. The web session is a device token labelled "web". */
import { type Request, Router } from 'express';
import { LoginRequestSchema, RegisterRequestSchema } from '../../../contract/wire.js';
import { DomainError } from '../../domain/errors.js';
import { STATUS_OF } from '../../edge/errors.js';
import type { PageRouteDependencies } from '../dependencies.js';
import { fieldErrorsOf } from '../formErrors.js';
import { LocalPathSchema } from '../localPath.js';
import { renderSignIn, renderSignUp } from '../pages/account.js';
import { sendPage } from '../responses.js';
import { WEB_DEVICE_LABEL, clearSessionCookie, setSessionCookie } from '../session.js';

/** The username as typed, to show it again when the form comes back. */
const typedUsername = (req: Request): string =>
  typeof req.body?.username === 'string' ? req.body.username : '';

export function accountRoutes({ accounts, rateLimits, visitors }: PageRouteDependencies): Router {
  const router = Router();

  router.get('/signup', async (req, res) => {
    const awaitsSetup = await accounts.awaitsSetup();
    sendPage(res, renderSignUp(visitors.of(req).context, { awaitsSetup }));
  });

  router.post('/signup', async (req, res) => {
    const { context } = visitors.of(req);
    const username = typedUsername(req);
    const awaitsSetup = await accounts.awaitsSetup();
    const setupCode = typeof req.body?.setupCode === 'string' ? req.body.setupCode : undefined;
    const input = RegisterRequestSchema.safeParse({
      username,
      password: req.body.password,
      ...(awaitsSetup && setupCode ? { setupCode } : {}),
    });
    if (!input.success) {
      const errors = fieldErrorsOf(input.error);
      sendPage(res, renderSignUp(context, { username, errors, awaitsSetup }), 422);
      return;
    }
    try {
      await rateLimits.register(req.ip ?? 'unknown');
      await accounts.register(input.data);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const field =
        error.code === 'conflict'
          ? 'username'
          : error.code === 'forbidden' && awaitsSetup
            ? 'setupCode'
            : 'form';
      const errors = { [field]: error.message };
      const state = { username, errors, awaitsSetup: await accounts.awaitsSetup() };
      sendPage(res, renderSignUp(context, state), STATUS_OF[error.code]);
      return;
    }
    const { token } = await accounts.login({ ...input.data, device: WEB_DEVICE_LABEL });
    setSessionCookie(req, res, token);
    res.redirect(303, '/');
  });

  router.get('/signin', (req, res) => {
    const next = LocalPathSchema.parse(req.query.next ?? '/');
    sendPage(res, renderSignIn(visitors.of(req).context, { next }));
  });

  router.post('/signin', async (req, res) => {
    const { context } = visitors.of(req);
    const username = typedUsername(req);
    const next = LocalPathSchema.parse(req.body.next ?? '/');
    const input = LoginRequestSchema.safeParse({ username, password: req.body.password });
    if (!input.success) {
      const errors = fieldErrorsOf(input.error);
      sendPage(res, renderSignIn(context, { username, next, errors }), 422);
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
      sendPage(res, renderSignIn(context, { username, next, errors }), STATUS_OF[error.code]);
    }
  });

  router.post('/signout', async (req, res) => {
    const { session } = visitors.of(req);
    if (session) await accounts.logout(session);
    clearSessionCookie(req, res);
    res.redirect(303, '/');
  });

  return router;
}
