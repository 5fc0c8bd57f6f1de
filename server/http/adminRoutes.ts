/** The admin API: announcements and followed feeds. Every route needs an admin's bearer token. */
import { Router } from 'express';
import { z } from 'zod';
import {
  AnnouncementRequestSchema,
  API,
  FeedRequestSchema,
  type AnnouncementResponse,
  type FeedInfo,
  type FeedListResponse,
  type FeedRefreshResponse,
} from '../../contract/wire.js';
import { routeOf, type RouteDependencies } from './routes.js';
import { parseWith } from './validation.js';

const FeedIdSchema = z.string().min(1).max(100);

export function adminRoutes({ announcements, feeds, sessions }: RouteDependencies): Router {
  const router = Router();
  const feedId = (params: Record<string, string | string[]>) =>
    parseWith(FeedIdSchema, params.id, 'a feed id');

  router.post(API.announcements, async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const input = parseWith(AnnouncementRequestSchema, req.body, '{title, text?, url?, to?}');
    const body: AnnouncementResponse = await announcements.send(user, input);
    res.status(201).json(body);
  });

  router.post(API.feeds, async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const { url } = parseWith(FeedRequestSchema, req.body, '{url}');
    const body: FeedInfo = await feeds.add(user, url);
    res.status(201).json(body);
  });

  router.get(API.feeds, async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const body: FeedListResponse = { items: await feeds.list(user) };
    res.json(body);
  });

  router.delete(routeOf(API.feed, 'id'), async (req, res) => {
    const { user } = await sessions.requireSession(req);
    await feeds.remove(user, feedId(req.params));
    res.status(204).end();
  });

  router.post(routeOf(API.feedRefresh, 'id'), async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const body: FeedRefreshResponse = await feeds.refresh(user, feedId(req.params));
    res.json(body);
  });

  return router;
}
