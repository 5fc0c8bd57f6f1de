/** Sign up and sign in. */
import { LIMITS } from '../../../contract/wire.js';
import { html } from '../html.js';
import { field, formError, type FieldErrors } from './forms.js';
import { csrfField, renderPage, type PageContext } from './layout.js';

export interface AccountFormState {
  username?: string;
  next?: string;
  errors?: FieldErrors;
}

export function renderSignUp(context: PageContext, state: AccountFormState = {}): string {
  const errors = state.errors ?? {};
  const main = html`<section class="narrow">
    <h1>Create an account</h1>
    ${formError(errors)}
    <form method="post" action="/signup" class="stack" novalidate>
      ${csrfField(context)}
      ${field(
        {
          name: 'username',
          label: 'Username',
          value: state.username,
          autocomplete: 'username',
          required: true,
          maxLength: LIMITS.usernameMax,
          hint: `${LIMITS.usernameMin}–${LIMITS.usernameMax} letters, digits, ".", "-" or "_".`,
        },
        errors,
      )}
      ${field(
        {
          name: 'password',
          label: 'Password',
          type: 'password',
          autocomplete: 'new-password',
          required: true,
          maxLength: LIMITS.passwordMax,
          hint: `At least ${LIMITS.passwordMin} characters.`,
        },
        errors,
      )}
      <button type="submit" class="button">Sign up</button>
    </form>
    <p>Already have an account? <a href="/signin">Sign in</a>.</p>
  </section>`;
  return renderPage(context, { title: 'Sign up', main });
}

export function renderSignIn(context: PageContext, state: AccountFormState = {}): string {
  const errors = state.errors ?? {};
  const main = html`<section class="narrow">
    <h1>Sign in</h1>
    ${formError(errors)}
    <form method="post" action="/signin" class="stack" novalidate>
      ${csrfField(context)}
      <input type="hidden" name="next" value="${state.next ?? '/'}" />
      ${field(
        {
          name: 'username',
          label: 'Username',
          value: state.username,
          autocomplete: 'username',
          required: true,
          maxLength: LIMITS.usernameMax,
        },
        errors,
      )}
      ${field(
        {
          name: 'password',
          label: 'Password',
          type: 'password',
          autocomplete: 'current-password',
          required: true,
          maxLength: LIMITS.passwordMax,
        },
        errors,
      )}
      <button type="submit" class="button">Sign in</button>
    </form>
    <p>New here? <a href="/signup">Create an account</a>.</p>
  </section>`;
  return renderPage(context, { title: 'Sign in', main });
}
