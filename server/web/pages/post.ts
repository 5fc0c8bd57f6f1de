import { postPagePath, type Post } from '../../../contract/wire.js';
import { html } from '../html.js';
import { renderMarkdown } from '../markdown.js';
import { byline, likeForm, subscribeForm } from './fragments.js';
import { csrfField, renderPage, type PageContext } from './layout.js';

export function renderPost(context: PageContext, post: Post, notice?: string): string {
  const canEdit = context.viewer?.id === post.author.id;
  const main = html`<article class="post">
    <h1>${post.title}</h1>
    ${byline(post)}
    <div class="post-body">${renderMarkdown(post.body)}</div>
    <div class="post-actions">
      ${likeForm(context, post)} ${subscribeForm(context, postPagePath(post.id))}
      ${
        canEdit &&
        html`<a class="button secondary" href="${postPagePath(post.id)}/edit">Edit</a>
          <form
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
