/** Where an admin makes a user an author (or takes it back). */
import { LIMITS } from '../../../contract/wire.js';
import { html } from '../html.js';
import { field, formError, type FieldErrors } from './forms.js';
import { csrfField, renderPage, type PageContext } from './layout.js';

export interface AdminState {
  username?: string;
  errors?: FieldErrors;
  notice?: string;
}

export function renderAdmin(context: PageContext, state: AdminState = {}): string {
  const errors = state.errors ?? {};
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
  </section>`;
  return renderPage(context, { title: 'Admin', main, notice: state.notice });
}
