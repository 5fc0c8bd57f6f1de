import { postPagePath, type Post } from '../../../contract/wire.js';
import { html, type SafeHtml } from '../html.js';
import { byline, likeForm, subscribeForm } from './fragments.js';
import { csrfField, renderPage, type PageContext } from './layout.js';

export interface PostView {
  post: Post;
  /** The body rendered from Markdown (server/web/renderedPosts.ts keeps it). */
  body: SafeHtml;
  canEdit: boolean;
  canDelete: boolean;
}

export function renderPost(context: PageContext, view: PostView, notice?: string): string {
  const { post, canEdit, canDelete } = view;
  const main = html`<article class="post">
    <h1>${post.title}</h1>
    ${byline(post)}
    <div class="post-body">${view.body}</div>
    <div class="post-actions">
      ${likeForm(context, post)} ${subscribeForm(context, postPagePath(post.id))}
      ${canEdit && html`<a class="button secondary" href="${postPagePath(post.id)}/edit">Edit</a>`}
      ${
        canDelete &&
        html`<form
          method="post"
          action="${postPagePath(post.id)}/delete"
          class="inline-form"
          data-confirm="Delete this post? This cannot be undone."
        >
          ${csrfField(context)}
          <button type="submit" class="button danger">Delete</button>
        </form>`
      }
    </div>
  </article>`;
  return renderPage(context, { title: post.title, main, notice });
}
