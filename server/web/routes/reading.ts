/** Reading, liking and subscribing: what every reader does, with or without scripts. */
import { Router } from 'express';
import { z } from 'zod';
import { postPagePath } from '../../../contract/wire.js';
import { DomainError } from '../../domain/errors.js';
import type { PageRouteDependencies } from '../dependencies.js';
import { LocalPathSchema } from '../localPath.js';
import { renderHome } from '../pages/home.js';
import { renderPost } from '../pages/post.js';
import { sendPage, wantsJson } from '../responses.js';

const HOME_PAGE_SIZE = 10;
/**
 * Pages take only what they use and ignore the rest: links arrive with `utm_source`, `fbclid` and
 * the like, and a reader should get the page. (The API stays strict.) The size of a page is the
 * server's choice, so `?limit=` is one of the ignored.
 */
const HomeQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});
const LikeFormSchema = z.object({ action: z.enum(['like', 'unlike']) });
const SubscriptionFormSchema = z.object({
  action: z.enum(['subscribe', 'unsubscribe']),
  next: LocalPathSchema.optional(),
});

export function readingRoutes({
  posts,
  inbox,
  visitors,
  renderedPosts,
}: PageRouteDependencies): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = HomeQuerySchema.safeParse(req.query);
    if (!query.success) throw new DomainError('invalid_payload', 'That page number is not valid.');
    const { session, context } = visitors.of(req);
    const list = await posts.list(session?.user, query.data.page ?? 1, HOME_PAGE_SIZE);
    sendPage(res, renderHome(context, list));
  });

  router.get('/posts/:id', async (req, res) => {
    const { session, context } = visitors.of(req);
    const post = await posts.get(session?.user, String(req.params.id));
    const view = {
      post,
      body: renderedPosts.bodyOf(post),
      ...posts.permissionsOf(session?.user, post),
    };
    sendPage(res, renderPost(context, view));
  });

  /**
   * The tray opens only its server's own pages, so for a post imported from another blog's feed it
   * opens this one, and the blog vouches for the one link it stored (an http(s) link, checked at
   * import) for that post. Nothing from the request goes into the Location: no open redirect.
   */
  router.get('/posts/:id/original', async (req, res) => {
    const { session } = visitors.of(req);
    const post = await posts.get(session?.user, String(req.params.id));
    if (post.source === undefined) {
      throw new DomainError(
        'not_found',
        'This post was written here; it has no original elsewhere.',
      );
    }
    res.redirect(302, post.source.url);
  });

  // The page script posts this same form with fetch and takes the JSON answer.
  router.post('/posts/:id/like', async (req, res) => {
    const session = visitors.signedIn(req, res);
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
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const form = SubscriptionFormSchema.safeParse(req.body);
    if (!form.success) throw new DomainError('invalid_payload', 'Choose subscribe or unsubscribe.');
    await inbox.setSubscribed(session.user.id, form.data.action === 'subscribe');
    res.redirect(303, form.data.next ?? '/');
  });

  return router;
}
