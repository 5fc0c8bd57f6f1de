/** Where an admin makes a user an author (or takes it back), or signs a user out everywhere. */
import { LIMITS } from '../../../contract/wire.js';
import { html } from '../html.js';
import {
  announcementSection,
  feedsSection,
  type AnnouncementFormState,
  type FeedsState,
} from './adminFeeds.js';
import { field, formError, type FieldErrors } from './forms.js';
import { csrfField, renderPage, type PageContext } from './layout.js';

export interface AdminState {
  username?: string;
  errors?: FieldErrors;
  /** What was typed into, and what went wrong with, the sign-out form. */
  signOutUsername?: string;
  signOutErrors?: FieldErrors;
  notice?: string;
  /** The followed feeds and what went wrong adding one. */
  feeds?: FeedsState;
  announcement?: AnnouncementFormState;
}

export function renderAdmin(context: PageContext, state: AdminState = {}): string {
  const errors = state.errors ?? {};
  const signOutErrors = state.signOutErrors ?? {};
  const main = html`<section class="narrow">
    <h1>Admin</h1>
    <h2>Authors</h2>
    <p>Authors can write, edit and delete their own posts.</p>
    ${formError(errors)}
    <form method="post" action="/admin/authors" class="stack" novalidate>
      ${csrfField(context)}
      ${field(
        {
          name: 'username',
          label: 'Username',
          value: state.username,
          required: true,
          maxLength: LIMITS.usernameMax,
        },
        errors,
      )}
      <div class="form-actions">
        <button type="submit" name="author" value="true" class="button">Make author</button>
        <button type="submit" name="author" value="false" class="button secondary">
          Remove author
        </button>
      </div>
    </form>
    <h2>Sign a user out</h2>
    <p>
      Ends every session of the user on every device at once (a lost or stolen laptop): their live
      connections close and they must sign in again.
    </p>
    ${formError(signOutErrors)}
    <form method="post" action="/admin/tokens/revoke" class="stack" novalidate>
      ${csrfField(context)}
      ${field(
        {
          name: 'username',
          id: 'signout-username',
          label: 'User to sign out',
          value: state.signOutUsername,
          required: true,
          maxLength: LIMITS.usernameMax,
        },
        signOutErrors,
      )}
      <div class="form-actions">
        <button type="submit" class="button danger">Sign out everywhere</button>
      </div>
    </form>
    ${announcementSection(context, state.announcement)}
    ${feedsSection(context, state.feeds ?? { feeds: [] })}
  </section>`;
  return renderPage(context, { title: 'Admin', main, notice: state.notice });
}
