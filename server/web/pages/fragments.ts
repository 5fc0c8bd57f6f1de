/** Small pieces more than one page shows: dates, post bylines, like and subscribe forms. */
import { postPagePath, type PostListItem } from '../../../contract/wire.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, type PageContext } from './layout.js';

/** Made at the first page, not at start: building it loads ICU's data, about a tenth of the
 * server's start, which a restart under a reconnect storm waits for (issue 14). */
let dateFormat: Intl.DateTimeFormat | undefined;

export const timeOf = (iso: string): SafeHtml => {
  dateFormat ??= new Intl.DateTimeFormat('en', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
  return html`<time datetime="${iso}">${dateFormat.format(new Date(iso))}</time>`;
};

export const likesLabel = (count: number): string => `${count} ${count === 1 ? 'like' : 'likes'}`;

export function byline(post: PostListItem): SafeHtml {
  return html`<p class="byline">
    by <span class="author">${post.author.name}</span> · ${timeOf(post.createdAt)} ·
    <span data-like-count="${post.id}">${likesLabel(post.likeCount)}</span>
  </p>`;
}

/**
 * A plain form, so liking works without JavaScript (POST-redirect-GET); the page script submits
 * it with fetch instead and updates the count in place.
 */
export function likeForm(context: PageContext, post: PostListItem): SafeHtml {
  if (!context.viewer) {
    return html`<p class="hint">
      <a href="/signin?next=${postPagePath(post.id)}">Sign in</a> to like this post.
    </p>`;
  }
  const liked = post.likedByMe;
  return html`<form
    method="post"
    action="${postPagePath(post.id)}/like"
    class="inline-form"
    data-like-form
    data-post-id="${post.id}"
  >
    ${csrfField(context)}
    <input type="hidden" name="action" value="${liked ? 'unlike' : 'like'}" data-like-action />
    <button
      type="submit"
      class="button ${liked ? 'is-on' : ''}"
      aria-pressed="${String(liked)}"
      data-like-button
    >
      ${liked ? 'Unlike' : 'Like'}
    </button>
  </form>`;
}

export function subscribeForm(context: PageContext, returnTo: string): SafeHtml {
  const viewer = context.viewer;
  if (!viewer) return html``;
  return html`<form method="post" action="/subscription" class="inline-form">
    ${csrfField(context)}
    <input type="hidden" name="action" value="${viewer.subscribed ? 'unsubscribe' : 'subscribe'}" />
    <input type="hidden" name="next" value="${returnTo}" />
    <button type="submit" class="button secondary" data-subscribe-button>
      ${viewer.subscribed ? 'Unsubscribe' : 'Subscribe'}
    </button>
  </form>`;
}
