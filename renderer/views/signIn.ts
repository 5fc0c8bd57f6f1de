/**
 * The sign-in screen: server address (checked first, so "unreachable", "not a Tidings server"
 * and "incompatible" are told apart from a wrong password), username and password, and, folded
 * away, a private certificate authority's file for a self-hosted server whose certificate the OS
 * does not trust.
 */
import type { AppSnapshot } from '../../contract/ipc.js';
import { el, replaceChildren } from '../elements.js';
import { icon } from '../icons.js';
import { parseServerAddress } from '../../contract/serverAddress.js';
import { signInErrorField, type SignInField } from '../present.js';
import type { View, ViewContext } from './view.js';

type Field = Exclude<SignInField, 'form'>;

/** The same form, for one more account: its own heading, a way back, and nothing prefilled. */
export interface AddAccountMode {
  /** Called once the new account is signed in. */
  done(): void;
  cancel(): void;
}

export function createSignInView(context: ViewContext, adding?: AddAccountMode): View {
  const serverInput = el('input', {
    id: 'sign-in-server',
    name: 'server',
    type: 'text',
    inputmode: 'url',
    autocomplete: 'url',
    spellcheck: 'false',
    placeholder: 'https://blog.example.org',
    'aria-describedby': 'sign-in-server-error',
  });
  const usernameInput = el('input', {
    id: 'sign-in-username',
    name: 'username',
    type: 'text',
    autocomplete: 'username',
    spellcheck: 'false',
    autocapitalize: 'none',
    'aria-describedby': 'sign-in-username-error',
  });
  const passwordInput = el('input', {
    id: 'sign-in-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    'aria-describedby': 'sign-in-password-error',
  });
  const caInput = el('input', {
    id: 'sign-in-ca',
    name: 'ca',
    type: 'text',
    spellcheck: 'false',
    autocapitalize: 'none',
    placeholder: '/path/to/ca.pem',
    'aria-describedby': 'sign-in-ca-hint sign-in-ca-error',
  });
  const inputs: Record<Field, HTMLInputElement> = {
    server: serverInput,
    username: usernameInput,
    password: passwordInput,
    ca: caInput,
  };
  const errors: Record<Field, HTMLElement> = {
    server: el('p', { id: 'sign-in-server-error', class: 'field-error', role: 'alert' }),
    username: el('p', { id: 'sign-in-username-error', class: 'field-error', role: 'alert' }),
    password: el('p', { id: 'sign-in-password-error', class: 'field-error', role: 'alert' }),
    ca: el('p', { id: 'sign-in-ca-error', class: 'field-error', role: 'alert' }),
  };
  const sessionNote = el('p', { class: 'session-note', role: 'status' });
  const formError = el('p', { class: 'form-error', role: 'alert' });
  const submit = el('button', { type: 'submit', class: 'primary wide' }, 'Sign in');
  const cancel = adding
    ? el('button', { type: 'button', class: 'secondary wide' }, 'Cancel')
    : null;
  cancel?.addEventListener('click', () => adding?.cancel());

  const field = (name: Field, label: string): HTMLElement =>
    el(
      'div',
      { class: 'field' },
      el('label', { for: inputs[name].id }, label),
      inputs[name],
      errors[name],
    );

  const form = el(
    'form',
    { class: 'sign-in-form', novalidate: true, 'aria-label': 'Sign in to Tidings' },
    field('server', 'Server'),
    field('username', 'Username'),
    field('password', 'Password'),
    el(
      'details',
      { class: 'advanced' },
      el('summary', {}, 'Private certificate authority'),
      el(
        'p',
        { id: 'sign-in-ca-hint', class: 'field-hint' },
        'Only if your server’s certificate comes from your own authority: the full path of its certificate (PEM). The system’s trusted authorities still apply.',
      ),
      field('ca', 'Certificate file'),
    ),
    formError,
    submit,
    cancel,
  );

  const element = el(
    'main',
    { class: 'screen sign-in' },
    el(
      'div',
      { class: 'brand' },
      el('span', { class: 'brand-mark' }, icon('bell')),
      el('h1', {}, adding ? 'Add account' : 'Tidings'),
      el(
        'p',
        { class: 'tagline' },
        adding
          ? 'Sign in to another server, or as another user.'
          : 'Your blog’s notifications, on your desktop.',
      ),
    ),
    sessionNote,
    form,
  );

  const caDetails = (): HTMLDetailsElement =>
    form.querySelector('details.advanced') as HTMLDetailsElement;

  let prefilled = false;
  let savedCaFile = '';
  let busy = false;

  function showError(name: Field, message: string): void {
    if (name === 'ca') caDetails().open = true;
    errors[name].textContent = message;
    inputs[name].setAttribute('aria-invalid', 'true');
    inputs[name].focus();
  }

  function showRefusal(code: string, message: string): void {
    const target = signInErrorField(code, message);
    if (target === 'form') {
      formError.textContent = message;
      return;
    }
    if (target === 'password') passwordInput.select();
    showError(target, message);
  }

  function clearErrors(): void {
    formError.textContent = '';
    for (const name of Object.keys(inputs) as Field[]) {
      errors[name].textContent = '';
      inputs[name].removeAttribute('aria-invalid');
    }
  }

  function setBusy(value: boolean, label = 'Sign in'): void {
    busy = value;
    form.setAttribute('aria-busy', String(value));
    submit.disabled = value;
    replaceChildren(
      submit,
      value ? el('span', { class: 'spinner', 'aria-hidden': 'true' }) : null,
      label,
    );
    for (const input of Object.values(inputs)) input.readOnly = value;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    void signIn();
  });

  async function signIn(): Promise<void> {
    clearErrors();
    const server = parseServerAddress(serverInput.value);
    if (!server.ok) return showError('server', server.message);
    serverInput.value = server.origin;
    const username = usernameInput.value.trim();
    if (username === '') return showError('username', 'Enter your username.');
    if (passwordInput.value === '') return showError('password', 'Enter your password.');

    setBusy(true, 'Checking server…');
    try {
      const caFile = caInput.value.trim();
      if (caFile !== savedCaFile) {
        const saved = await context.api.updateSettings({ caFile });
        if (!saved.ok) return showError('ca', saved.message);
      }
      const check = await context.api.checkServer(server.origin);
      if (!check.ok) return showRefusal(check.code, check.message);
      setBusy(true, 'Signing in…');
      const result = await context.api.signIn({
        serverUrl: server.origin,
        username,
        password: passwordInput.value,
      });
      if (!result.ok) return showRefusal(result.code, result.message);
      passwordInput.value = '';
      if (adding) {
        serverInput.value = usernameInput.value = '';
        adding.done();
      }
    } catch {
      formError.textContent = 'Something went wrong inside the app. Try again.';
    } finally {
      setBusy(false);
    }
  }

  return {
    element,
    update(snapshot: AppSnapshot) {
      if (!prefilled) {
        prefilled = true;
        serverInput.value = adding ? '' : snapshot.settings.serverUrl;
        usernameInput.value = adding ? '' : snapshot.settings.username;
        caInput.value = snapshot.settings.caFile;
        caDetails().open = snapshot.settings.caFile !== '';
      }
      savedCaFile = snapshot.settings.caFile;
      const { status } = snapshot;
      sessionNote.textContent =
        !adding && status.state === 'signed-out' && status.reason ? status.reason : '';
      sessionNote.hidden = sessionNote.textContent === '';
    },
    focus() {
      const first = [serverInput, usernameInput, passwordInput].find((input) => input.value === '');
      (first ?? passwordInput).focus();
    },
  };
}
