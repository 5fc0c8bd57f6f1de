import { postPagePath, type Post, type PostSource } from '../../../contract/wire.js';
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
    ${byline(post)} ${post.source && sourceLine(post.source)}
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

/** An imported post names the blog it came from and links to the original article. */
function sourceLine(source: PostSource): SafeHtml {
  return html`<p class="post-source">
    From <span class="source-title">${source.feedTitle}</span> ·
    <a href="${source.url}" rel="nofollow ugc noopener noreferrer">Read the original</a>
  </p>`;
}
