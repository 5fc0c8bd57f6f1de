/** The caller's subscription and notifications: list, unread count, mark read. */
import { Router } from 'express';
import {
  API,
  MarkReadRequestSchema,
  NotificationListQuerySchema,
  type NotificationListResponse,
  type SubscriptionResponse,
  type UnreadCountResponse,
} from '../../contract/wire.js';
import type { RouteDependencies } from './routes.js';
import { parseWith } from './validation.js';

export function notificationRoutes({ inbox, sessions }: RouteDependencies): Router {
  const router = Router();

  router.post(API.subscription, async (req, res) => {
    const { user } = await sessions.requireSession(req);
    await inbox.setSubscribed(user.id, true);
    const body: SubscriptionResponse = { subscribed: true };
    res.json(body);
  });

  router.delete(API.subscription, async (req, res) => {
    const { user } = await sessions.requireSession(req);
    await inbox.setSubscribed(user.id, false);
    const body: SubscriptionResponse = { subscribed: false };
    res.json(body);
  });

  router.get(API.notifications, async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const query = parseWith(NotificationListQuerySchema, { ...req.query }, 'before and limit');
    const body: NotificationListResponse = {
      ...(await inbox.listPage(user.id, query.before, query.limit)),
      unreadCount: await inbox.unreadCount(user.id),
    };
    res.json(body);
  });

  router.get(API.unreadCount, async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const body: UnreadCountResponse = { unreadCount: await inbox.unreadCount(user.id) };
    res.json(body);
  });

  router.post(API.markRead, async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const request = parseWith(MarkReadRequestSchema, req.body, '{ids: [...]} or {all: true}');
    const { unreadCount } = await inbox.markRead(user.id, request);
    const body: UnreadCountResponse = { unreadCount };
    res.json(body);
  });

  return router;
}
