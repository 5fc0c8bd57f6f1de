/**
 * The admin page: make a user an author or take it back, and sign a user out of every device (the
 * accounts service checks admin).
 */
import { Router } from 'express';
import { z } from 'zod';
import { UsernameSchema } from '../../../contract/wire.js';
import { DomainError } from '../../domain/errors.js';
import { STATUS_OF } from '../../edge/errors.js';
import type { PageRouteDependencies } from '../dependencies.js';
import { fieldErrorsOf } from '../formErrors.js';
import { renderAdmin } from '../pages/admin.js';
import { sendPage } from '../responses.js';

const AuthorFormSchema = z.object({ username: UsernameSchema, author: z.enum(['true', 'false']) });
const SignOutFormSchema = z.object({ username: UsernameSchema });

export function adminRoutes({ accounts, visitors }: PageRouteDependencies): Router {
  const router = Router();

  router.get('/admin', (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    if (!session.user.isAdmin) throw new DomainError('forbidden', 'Only admins can change roles.');
    sendPage(res, renderAdmin(visitors.of(req).context));
  });

  router.post('/admin/authors', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const { context } = visitors.of(req);
    const username = typeof req.body?.username === 'string' ? req.body.username : '';
    const form = AuthorFormSchema.safeParse(req.body);
    if (!form.success) {
      sendPage(res, renderAdmin(context, { username, errors: fieldErrorsOf(form.error) }), 422);
      return;
    }
    try {
      const user = await accounts.setAuthor(
        session.user,
        form.data.username,
        form.data.author === 'true',
      );
      const notice = `${user.username} ${user.isAuthor ? 'is now an author' : 'is no longer an author'}.`;
      sendPage(res, renderAdmin(context, { notice }));
    } catch (error) {
      // A non-admin gets the refusal page; an unknown user is an error on the form.
      if (!(error instanceof DomainError) || error.code === 'forbidden') throw error;
      const errors = { username: error.message };
      sendPage(res, renderAdmin(context, { username, errors }), STATUS_OF[error.code]);
    }
  });

  router.post('/admin/tokens/revoke', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const { context } = visitors.of(req);
    const signOutUsername = typeof req.body?.username === 'string' ? req.body.username : '';
    const form = SignOutFormSchema.safeParse(req.body);
    if (!form.success) {
      const signOutErrors = fieldErrorsOf(form.error);
      sendPage(res, renderAdmin(context, { signOutUsername, signOutErrors }), 422);
      return;
    }
    try {
      const count = await accounts.revokeTokensOf(session.user, form.data.username);
      const devices = `${count} device${count === 1 ? '' : 's'}`;
      const notice = `${form.data.username} is signed out everywhere (${devices}).`;
      // Signing oneself out everywhere ends this session too: the next page asks to sign in.
      sendPage(res, renderAdmin(context, { notice }));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'forbidden') throw error;
      const signOutErrors = { username: error.message };
      sendPage(
        res,
        renderAdmin(context, { signOutUsername, signOutErrors }),
        STATUS_OF[error.code],
      );
    }
  });

  return router;
}
