/** Sign up and sign in. */
import { LIMITS } from '../../../contract/wire.js';
import { html } from '../html.js';
import { field, formError, type FieldErrors } from './forms.js';
import { csrfField, renderPage, type PageContext } from './layout.js';

export interface AccountFormState {
  username?: string;
  next?: string;
  errors?: FieldErrors;
  /** The server has no account yet: the sign-up form asks for the setup code. */
  awaitsSetup?: boolean;
}

export function renderSignUp(context: PageContext, state: AccountFormState = {}): string {
  const errors = state.errors ?? {};
  const main = html`<section class="narrow">
    <h1>${state.awaitsSetup ? 'Create the admin account' : 'Create an account'}</h1>
    ${
      state.awaitsSetup &&
      html`<p>
        This blog has no accounts yet. The first one runs it, so it needs the setup code the server
        printed in its log when it started.
      </p>`
    }
    ${formError(errors)}
    <form method="post" action="/signup" class="stack" novalidate>
      ${csrfField(context)}
      ${
        state.awaitsSetup &&
        field(
          {
            name: 'setupCode',
            label: 'Setup code',
            autocomplete: 'off',
            required: true,
            maxLength: LIMITS.setupCodeMax,
            hint: 'From the server’s log: “sign up … with the setup code …”.',
          },
          errors,
        )
      }
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
