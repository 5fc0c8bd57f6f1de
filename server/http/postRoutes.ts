/** Posts: anyone reads, authors publish, edit and delete their own; signed-in users like. */
import { Router } from 'express';
import { z } from 'zod';
import {
  API,
  PostInputSchema,
  PostListQuerySchema,
  PostPatchSchema,
  type LikeResponse,
} from '../../contract/wire.js';
import { routeOf, type RouteDependencies } from './routes.js';
import { parseWith } from './validation.js';

const PostIdSchema = z.string().min(1).max(100);
const DEFAULT_PAGE_SIZE = 20;

export function postRoutes({ posts, sessions, rateLimits }: RouteDependencies): Router {
  const router = Router();
  const postId = (params: Record<string, string | string[]>) =>
    parseWith(PostIdSchema, params.id, 'a post id');

  router.get(API.posts, async (req, res) => {
    const query = parseWith(PostListQuerySchema, { ...req.query }, 'page and limit');
    const session = await sessions.optionalSession(req);
    res.json(await posts.list(session?.user, query.page ?? 1, query.limit ?? DEFAULT_PAGE_SIZE));
  });

  router.post(API.posts, async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const input = parseWith(PostInputSchema, req.body, '{title, body}');
    await rateLimits.publish(user.id);
    res.status(201).json(await posts.publish(user, input));
  });

  router.get(routeOf(API.post, 'id'), async (req, res) => {
    const session = await sessions.optionalSession(req);
    res.json(await posts.get(session?.user, postId(req.params)));
  });

  router.patch(routeOf(API.post, 'id'), async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const id = postId(req.params);
    res.json(await posts.edit(user, id, parseWith(PostPatchSchema, req.body, '{title?, body?}')));
  });

  router.delete(routeOf(API.post, 'id'), async (req, res) => {
    const { user } = await sessions.requireSession(req);
    await posts.remove(user, postId(req.params));
    res.status(204).end();
  });

  router.post(routeOf(API.like, 'id'), async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const body: LikeResponse = await posts.like(user, postId(req.params));
    res.json(body);
  });

  router.delete(routeOf(API.like, 'id'), async (req, res) => {
    const { user } = await sessions.requireSession(req);
    const body: LikeResponse = await posts.unlike(user, postId(req.params));
    res.json(body);
  });

  return router;
}
