/** The bell's list as a plain page: what the bell links to when scripts are off. */
import { linkOf, type NotificationItem } from '../../../contract/wire.js';
import { html, type SafeHtml } from '../html.js';
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
                  ${notificationLine(item)} ${timeOf(item.createdAt)}
                </li>`,
            )}
          </ul>`
        : html`<p class="empty">Nothing yet.</p>`
    }
  </section>`;
  return renderPage(context, { title: 'Notifications', main });
}

/** A post or a linked announcement is a link; an announcement without one is read here. */
function notificationLine(item: NotificationItem): SafeHtml {
  const link = linkOf(item);
  const text =
    item.type === 'announcement' && item.announcement.text
      ? html`<span class="announcement-text">${item.announcement.text}</span>`
      : '';
  return link === undefined
    ? html`<span>${item.message}</span> ${text}`
    : html`<a href="${link}">${item.message}</a> ${text}`;
}
