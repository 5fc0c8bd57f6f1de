import { postPagePath, type PostListResponse } from '../../../contract/wire.js';
import { html } from '../html.js';
import { byline, subscribeForm } from './fragments.js';
import { renderPage, type PageContext } from './layout.js';

export function renderHome(context: PageContext, list: PostListResponse, notice?: string): string {
  const pages = Math.max(1, Math.ceil(list.total / list.limit));
  const items = list.items.map(
    (post) =>
      html`<li class="post-card">
        <h2><a href="${postPagePath(post.id)}">${post.title}</a></h2>
        ${byline(post)}
        <p class="excerpt">${post.excerpt}</p>
      </li>`,
  );
  const main = html`<div class="page-head">
      <h1>Latest posts</h1>
      ${subscribeForm(context, '/')}
    </div>
    ${
      items.length
        ? html`<ol class="post-list">
            ${items}
          </ol>`
        : html`<p class="empty">No posts yet.</p>`
    }
    <nav class="pager" aria-label="Pages">
      ${list.page > 1 && html`<a href="/?page=${list.page - 1}" rel="prev">← Newer</a>`}
      <span>Page ${list.page} of ${pages}</span>
      ${list.page < pages && html`<a href="/?page=${list.page + 1}" rel="next">Older →</a>`}
    </nav>`;
  return renderPage(context, { title: 'Home', main, notice });
}
