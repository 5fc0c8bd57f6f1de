/**
 * The admin page: make a user an author or take it back, and sign a user out of every device (the
 * accounts service checks admin).
 */
import { Router } from 'express';
import { z } from 'zod';
import {
  AnnouncementRequestSchema,
  FeedRequestSchema,
  UsernameSchema,
} from '../../../contract/wire.js';
import type { UserRecord } from '../../store/store.js';
import type { PageContext } from '../pages/layout.js';
import { DomainError } from '../../domain/errors.js';
import { STATUS_OF } from '../../edge/errors.js';
import type { PageRouteDependencies } from '../dependencies.js';
import { fieldErrorsOf } from '../formErrors.js';
import { renderAdmin, type AdminState } from '../pages/admin.js';
import { sendPage } from '../responses.js';

const AuthorFormSchema = z.object({ username: UsernameSchema, author: z.enum(['true', 'false']) });
const SignOutFormSchema = z.object({ username: UsernameSchema });
/** The form's fields as typed; the contract's schema then decides. */
const AnnouncementFormSchema = z.object({
  title: z.string().max(10_000).catch(''),
  text: z.string().max(10_000).catch(''),
  url: z.string().max(10_000).catch(''),
  to: z.string().max(10_000).catch(''),
});

export function adminRoutes({
  accounts,
  announcements,
  feeds,
  visitors,
}: PageRouteDependencies): Router {
  const router = Router();

  /** The admin page always lists the feeds as they are now. */
  async function adminPage(
    admin: UserRecord,
    context: PageContext,
    state: AdminState = {},
  ): Promise<string> {
    const feedsState = { ...state.feeds, feeds: await feeds.list(admin) };
    return renderAdmin(context, { ...state, feeds: feedsState });
  }

  router.get('/admin', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    if (!session.user.isAdmin) throw new DomainError('forbidden', 'Only admins can change roles.');
    sendPage(res, await adminPage(session.user, visitors.of(req).context));
  });

  router.post('/admin/authors', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const { context } = visitors.of(req);
    const username = typeof req.body?.username === 'string' ? req.body.username : '';
    const form = AuthorFormSchema.safeParse(req.body);
    if (!form.success) {
      sendPage(
        res,
        await adminPage(session.user, context, { username, errors: fieldErrorsOf(form.error) }),
        422,
      );
      return;
    }
    try {
      const user = await accounts.setAuthor(
        session.user,
        form.data.username,
        form.data.author === 'true',
      );
      const notice = `${user.username} ${user.isAuthor ? 'is now an author' : 'is no longer an author'}.`;
      sendPage(res, await adminPage(session.user, context, { notice }));
    } catch (error) {
      // A non-admin gets the refusal page; an unknown user is an error on the form.
      if (!(error instanceof DomainError) || error.code === 'forbidden') throw error;
      const errors = { username: error.message };
      sendPage(
        res,
        await adminPage(session.user, context, { username, errors }),
        STATUS_OF[error.code],
      );
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
      sendPage(
        res,
        await adminPage(session.user, context, { signOutUsername, signOutErrors }),
        422,
      );
      return;
    }
    try {
      const count = await accounts.revokeTokensOf(session.user, form.data.username);
      const devices = `${count} device${count === 1 ? '' : 's'}`;
      const notice = `${form.data.username} is signed out everywhere (${devices}).`;
      // Signing oneself out everywhere ends this session too: the next page asks to sign in.
      sendPage(res, await adminPage(session.user, context, { notice }));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'forbidden') throw error;
      const signOutErrors = { username: error.message };
      sendPage(
        res,
        await adminPage(session.user, context, { signOutUsername, signOutErrors }),
        STATUS_OF[error.code],
      );
    }
  });

  router.post('/admin/announcements', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const { context } = visitors.of(req);
    const values = AnnouncementFormSchema.parse(req.body ?? {});
    // Empty optional fields mean "none", as the API's absent ones do.
    const input = AnnouncementRequestSchema.safeParse(
      Object.fromEntries(Object.entries(values).filter(([, value]) => value.trim() !== '')),
    );
    if (!input.success) {
      const announcement = { values, errors: fieldErrorsOf(input.error) };
      sendPage(res, await adminPage(session.user, context, { announcement }), 422);
      return;
    }
    try {
      const sent = await announcements.send(session.user, input.data);
      const notice = `Announcement sent to ${sent.to ?? 'every subscriber'}.`;
      sendPage(res, await adminPage(session.user, context, { notice }));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'forbidden') throw error;
      const announcement = { values, errors: { to: error.message } };
      sendPage(
        res,
        await adminPage(session.user, context, { announcement }),
        STATUS_OF[error.code],
      );
    }
  });

  router.post('/admin/feeds', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const { context } = visitors.of(req);
    const url = typeof req.body?.url === 'string' ? req.body.url.trim() : '';
    const form = FeedRequestSchema.safeParse({ url });
    if (!form.success) {
      const feedsState = { feeds: [], url, errors: fieldErrorsOf(form.error) };
      sendPage(res, await adminPage(session.user, context, { feeds: feedsState }), 422);
      return;
    }
    try {
      const feed = await feeds.add(session.user, form.data.url);
      const notice = `Following ${feed.title}.`;
      sendPage(res, await adminPage(session.user, context, { notice }));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'forbidden') throw error;
      const feedsState = { feeds: [], url, errors: { url: error.message } };
      sendPage(
        res,
        await adminPage(session.user, context, { feeds: feedsState }),
        STATUS_OF[error.code],
      );
    }
  });

  router.post('/admin/feeds/:id/refresh', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const { context } = visitors.of(req);
    const { newEntries, feed } = await feeds.refresh(session.user, String(req.params.id));
    const notice =
      feed.status === 'ok'
        ? `${feed.title}: ${newEntries} new ${newEntries === 1 ? 'entry' : 'entries'}.`
        : `${feed.title} is failing: ${feed.lastError ?? 'unknown reason'}.`;
    sendPage(res, await adminPage(session.user, context, { notice }));
  });

  router.post('/admin/feeds/:id/delete', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const { context } = visitors.of(req);
    await feeds.remove(session.user, String(req.params.id));
    const notice = 'Stopped following the feed; its posts stay.';
    sendPage(res, await adminPage(session.user, context, { notice }));
  });

  return router;
}
