/**
 * The admin page's announcement form and followed-feeds section. Plain forms (POST-redirect-GET
 * is not needed: each answer re-renders the admin page with a notice or the errors inline).
 */
import { LIMITS, type FeedInfo } from '../../../contract/wire.js';
import { html, type SafeHtml } from '../html.js';
import { timeOf } from './fragments.js';
import { field, formError, type FieldErrors } from './forms.js';
import { csrfField, type PageContext } from './layout.js';

export interface AnnouncementFormState {
  values?: { title?: string; text?: string; url?: string; to?: string };
  errors?: FieldErrors;
}

export interface FeedsState {
  feeds: FeedInfo[];
  url?: string;
  errors?: FieldErrors;
}

export function announcementSection(
  context: PageContext,
  state: AnnouncementFormState = {},
): SafeHtml {
  const errors = state.errors ?? {};
  const values = state.values ?? {};
  return html`<h2>Send an announcement</h2>
    <p>
      A notice in every subscriber's tray, inbox and bell (or one user's, when you name them). A
      click opens its link, or the inbox when it has none.
    </p>
    ${formError(errors)}
    <form method="post" action="/admin/announcements" class="stack" novalidate>
      ${csrfField(context)}
      ${field(
        {
          name: 'title',
          id: 'announcement-title',
          label: 'Title',
          value: values.title,
          required: true,
          maxLength: LIMITS.titleMax,
        },
        errors,
      )}
      ${field(
        {
          name: 'text',
          id: 'announcement-text',
          label: 'Text (optional)',
          value: values.text,
          maxLength: LIMITS.announcementTextMax,
        },
        errors,
      )}
      ${field(
        {
          name: 'url',
          id: 'announcement-url',
          label: 'Link (optional)',
          value: values.url,
          hint: 'An http(s) address.',
        },
        errors,
      )}
      ${field(
        {
          name: 'to',
          id: 'announcement-to',
          label: 'Only to (optional)',
          value: values.to,
          maxLength: LIMITS.usernameMax,
          hint: 'A username; leave empty for every subscriber.',
        },
        errors,
      )}
      <div class="form-actions">
        <button type="submit" class="button">Send announcement</button>
      </div>
    </form>`;
}

function feedRow(context: PageContext, feed: FeedInfo): SafeHtml {
  const path = `/admin/feeds/${encodeURIComponent(feed.id)}`;
  return html`<tr>
    <td><a href="${feed.url}" rel="nofollow noopener noreferrer">${feed.title}</a></td>
    <td class="feed-status feed-${feed.status}">${feed.status === 'ok' ? 'OK' : 'Failing'}</td>
    <td>${feed.lastPolledAt ? timeOf(feed.lastPolledAt) : 'never'}</td>
    <td>${feed.lastError ?? '—'}</td>
    <td class="feed-actions">
      <form method="post" action="${path}/refresh" class="inline-form">
        ${csrfField(context)}
        <button type="submit" class="button secondary" aria-label="Refresh ${feed.title}">
          Refresh
        </button>
      </form>
      <form
        method="post"
        action="${path}/delete"
        class="inline-form"
        data-confirm="Stop following this feed? Its posts stay."
      >
        ${csrfField(context)}
        <button type="submit" class="button danger" aria-label="Remove ${feed.title}">
          Remove
        </button>
      </form>
    </td>
  </tr>`;
}

export function feedsSection(context: PageContext, state: FeedsState): SafeHtml {
  const errors = state.errors ?? {};
  return html`<h2>Followed feeds</h2>
    <p>
      Each new entry of a followed blog becomes a post here that links to the original, and every
      subscriber is notified of it. Entries already in the feed when you add it are not.
    </p>
    ${
      state.feeds.length
        ? html`<div class="table-scroll">
            <table class="feeds">
              <caption class="visually-hidden">
                Followed feeds
              </caption>
              <thead>
                <tr>
                  <th scope="col">Feed</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last poll</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                ${state.feeds.map((feed) => feedRow(context, feed))}
              </tbody>
            </table>
          </div>`
        : html`<p class="empty">No feeds yet.</p>`
    }
    ${formError(errors)}
    <form method="post" action="/admin/feeds" class="stack" novalidate>
      ${csrfField(context)}
      ${field(
        {
          name: 'url',
          id: 'feed-url',
          label: 'Feed address',
          value: state.url,
          required: true,
          hint: 'WordPress: /feed/, Ghost: /rss/, Hugo: /index.xml, Substack: /feed',
        },
        errors,
      )}
      <div class="form-actions">
        <button type="submit" class="button">Follow feed</button>
      </div>
    </form>`;
}
