/** The bell's list as a plain page: what the bell links to when scripts are off. */
import type { NotificationItem } from '../../../contract/wire.js';
import { html } from '../html.js';
import { timeOf } from './fragments.js';
import { csrfField, renderPage, type PageContext } from './layout.js';

export function renderNotifications(context: PageContext, items: NotificationItem[]): string {
  const main = html`<section>
    <div class="page-head">
      <h1>Notifications</h1>
      <form method="post" action="/notifications/read" class="inline-form">
        ${csrfField(context)}
        <button type="submit" class="button secondary">Mark all read</button>
      </form>
    </div>
    ${
      items.length
        ? html`<ul class="notification-list">
            ${items.map(
              (item) =>
                html`<li class="${item.read ? 'is-read' : 'is-unread'}">
                  <a href="${item.post.url}">${item.message}</a> ${timeOf(item.createdAt)}
                </li>`,
            )}
          </ul>`
        : html`<p class="empty">Nothing yet.</p>`
    }
  </section>`;
  return renderPage(context, { title: 'Notifications', main });
}
