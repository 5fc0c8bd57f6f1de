/**
 * The frame every page shares: header with navigation and (signed in) the bell, main content,
 * footer. No inline script or style anywhere, so the CSP can forbid both.
 */
import type { PublicUser } from '../../../contract/wire.js';
import { html, type SafeHtml } from '../html.js';

/** What every page knows about the request it answers. */
export interface PageContext {
  viewer: PublicUser | undefined;
  /** Bound to the session (or the anonymous visitor); every form carries it. */
  csrfToken: string;
  /** Rendered server-side so the count is right before (and without) the bell script. */
  unreadCount: number;
}

export const csrfField = (context: PageContext): SafeHtml =>
  html`<input type="hidden" name="_csrf" value="${context.csrfToken}" />`;

const BELL_ICON = html`<svg
  class="bell-icon"
  viewBox="0 0 24 24"
  aria-hidden="true"
  focusable="false"
>
  <path
    d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
  />
</svg>`;

function bell(context: PageContext): SafeHtml {
  const count = context.unreadCount;
  const label = `Notifications, ${count} unread`;
  const badge = html`<span class="bell-count" data-bell-count data-count="${count}"
    >${count}</span
  >`;
  // Without JavaScript the bell is a link to the notifications page; the script hides the link
  // and shows the button, which opens the live menu.
  return html`<div class="bell" data-bell>
    <a class="bell-button" href="/notifications" data-bell-link aria-label="${label}">
      ${BELL_ICON} ${badge}
    </a>
    <button
      type="button"
      class="bell-button"
      data-bell-button
      aria-label="${label}"
      aria-expanded="false"
      aria-controls="bell-menu"
      hidden
    >
      ${BELL_ICON} ${badge}
    </button>
    <div class="bell-menu" id="bell-menu" data-bell-menu hidden>
      <div class="bell-menu-head">
        <strong>Notifications</strong>
        <button type="button" class="link-button" data-bell-mark-all>Mark all read</button>
      </div>
      <ul class="bell-list" data-bell-list></ul>
      <p class="bell-empty" data-bell-empty>Nothing yet.</p>
      <a class="bell-all" href="/notifications">See all</a>
    </div>
  </div>`;
}

function navigation(context: PageContext): SafeHtml {
  const viewer = context.viewer;
  if (!viewer) {
    return html`<nav class="site-nav" aria-label="Account">
      <a href="/signin">Sign in</a>
      <a href="/signup" class="button">Sign up</a>
    </nav>`;
  }
  return html`<nav class="site-nav" aria-label="Account">
    ${viewer.isAuthor && html`<a href="/compose">Write</a>`}
    ${viewer.isAdmin && html`<a href="/admin">Admin</a>`} ${bell(context)}
    <a class="whoami" href="/account">${viewer.username}</a>
    <form method="post" action="/signout" class="inline-form">
      ${csrfField(context)}
      <button type="submit" class="link-button">Sign out</button>
    </form>
  </nav>`;
}

export function renderPage(
  context: PageContext,
  page: { title: string; main: SafeHtml; notice?: string },
): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>${page.title} · Tidings</title>
        <link rel="stylesheet" href="/assets/style.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link
          rel="alternate"
          type="application/atom+xml"
          title="Tidings (Atom)"
          href="/feed.atom"
        />
        <link
          rel="alternate"
          type="application/feed+json"
          title="Tidings (JSON Feed)"
          href="/feed.json"
        />
        <script type="module" src="/assets/app.js"></script>
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <a class="site-name" href="/">Tidings</a>
          ${navigation(context)}
        </header>
        <main id="main" class="content">
          ${page.notice && html`<p class="notice" role="status">${page.notice}</p>`} ${page.main}
        </main>
        <footer class="site-footer">
          <p>Powered by Tidings · <a href="/">Home</a></p>
        </footer>
      </body>
    </html>`.value;
}
