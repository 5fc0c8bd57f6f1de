/**
 * Compose, edit and delete: authors write and edit their own posts; an author or an admin deletes
 * (the posts service decides).
 */
import { Router } from 'express';
import { PostInputSchema, postPagePath } from '../../../contract/wire.js';
import { DomainError } from '../../domain/errors.js';
import type { PageRouteDependencies } from '../dependencies.js';
import { fieldErrorsOf } from '../formErrors.js';
import { renderCompose } from '../pages/compose.js';
import { sendPage } from '../responses.js';

/** Form fields as text, so a failed submission can be shown again exactly as typed. */
function typedPost(body: unknown): { title: string; body: string } {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return {
    title: typeof fields.title === 'string' ? fields.title : '',
    body: typeof fields.body === 'string' ? fields.body : '',
  };
}

export function writingRoutes({ posts, rateLimits, visitors }: PageRouteDependencies): Router {
  const router = Router();

  router.get('/compose', (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    // Only the form is decided here; publishing itself is refused by the posts service.
    if (!session.user.isAuthor) {
      throw new DomainError('forbidden', 'Only authors can publish; ask an admin to make you one.');
    }
    sendPage(res, renderCompose(visitors.of(req).context));
  });

  router.post('/compose', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const typed = typedPost(req.body);
    const input = PostInputSchema.safeParse(typed);
    if (!input.success) {
      const errors = fieldErrorsOf(input.error);
      sendPage(res, renderCompose(visitors.of(req).context, { ...typed, errors }), 422);
      return;
    }
    await rateLimits.publish(session.user.id);
    const post = await posts.publish(session.user, input.data);
    res.redirect(303, postPagePath(post.id));
  });

  router.get('/posts/:id/edit', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const post = await posts.get(session.user, String(req.params.id));
    if (!posts.permissionsOf(session.user, post).canEdit) {
      throw new DomainError(
        'forbidden',
        post.author.id === session.user.id
          ? 'Only authors can edit posts; ask an admin to make you an author again.'
          : 'Only its author can change this post.',
      );
    }
    const state = { postId: post.id, title: post.title, body: post.body };
    sendPage(res, renderCompose(visitors.of(req).context, state));
  });

  router.post('/posts/:id/edit', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    const postId = String(req.params.id);
    const typed = typedPost(req.body);
    const input = PostInputSchema.safeParse(typed);
    if (!input.success) {
      const errors = fieldErrorsOf(input.error);
      sendPage(res, renderCompose(visitors.of(req).context, { postId, ...typed, errors }), 422);
      return;
    }
    await posts.edit(session.user, postId, input.data);
    res.redirect(303, postPagePath(postId));
  });

  router.post('/posts/:id/delete', async (req, res) => {
    const session = visitors.signedIn(req, res);
    if (!session) return;
    await posts.remove(session.user, String(req.params.id));
    res.redirect(303, '/');
  });

  return router;
}
