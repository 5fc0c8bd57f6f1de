/** The notifications page: the bell's list without scripts, and "mark all read". */
import { Router } from 'express';
import type { PageRouteDependencies } from '../dependencies.js';
import { renderNotifications } from '../pages/notifications.js';
import { sendPage } from '../responses.js';

export function notificationRoutes({ inbox, visitors }: PageRouteDependencies): Router {
  const router = Router();

  router.get('/notifications', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const items = await inbox.list(session.user.id, undefined);
    sendPage(res, renderNotifications(visitors.of(req).context, items));
  });

  router.post('/notifications/read', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    await inbox.markRead(session.user.id, { all: true });
    res.redirect(303, '/notifications');
  });

  return router;
}
