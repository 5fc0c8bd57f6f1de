/**
 * Settings' private certificate authority: the full path of a PEM file the app trusts on top of
 * the OS's store, for a self-hosted server whose certificate comes from the operator's own CA.
 * "Use this file" saves it: the core checks that it can be read and holds a certificate, and
 * reconnects with the new trust at once. A refused file keeps the old setting, and the field says
 * why. "Stop using it" clears it.
 */
import type { Settings } from '../../contract/ipc.js';
import { el } from '../elements.js';
import type { ViewContext } from './view.js';

export interface CaFileSetting {
  readonly element: HTMLElement;
  update(settings: Settings): void;
}

export function createCaFileSetting(context: ViewContext): CaFileSetting {
  let saved = '';
  const input = el('input', {
    id: 'setting-ca',
    name: 'ca',
    type: 'text',
    spellcheck: 'false',
    autocapitalize: 'none',
    autocomplete: 'off',
    placeholder: '/path/to/ca.pem',
    'aria-describedby': 'setting-ca-hint setting-ca-current setting-ca-error',
  });
  const error = el('p', { id: 'setting-ca-error', class: 'field-error', role: 'alert' });
  const current = el('p', { id: 'setting-ca-current', class: 'hint', role: 'status' });
  const use = el('button', { type: 'submit', class: 'secondary' }, 'Use this file');
  const clear = el('button', { type: 'button', class: 'secondary' }, 'Stop using it');

  const form = el(
    'form',
    { class: 'ca-setting', novalidate: true, 'aria-labelledby': 'settings-ca' },
    el(
      'p',
      { id: 'setting-ca-hint', class: 'hint' },
      'Only if your server’s certificate comes from your own authority: the full path of its certificate (PEM). The system’s trusted authorities still apply.',
    ),
    el(
      'div',
      { class: 'field' },
      el('label', { for: 'setting-ca' }, 'Certificate file'),
      input,
      error,
    ),
    current,
    el('div', { class: 'update-actions' }, use, clear),
  );
  const element = el(
    'section',
    { 'aria-labelledby': 'settings-ca' },
    el('h2', { id: 'settings-ca' }, 'Private certificate authority'),
    form,
  );

  async function save(caFile: string): Promise<void> {
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    use.disabled = clear.disabled = true;
    try {
      const result = await context.api.updateSettings({ caFile });
      if (!result.ok) {
        error.textContent = `${result.message} The setting was not changed.`;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
    } catch {
      error.textContent = 'The app did not answer. Try again.';
    } finally {
      use.disabled = false;
      clear.disabled = saved === '';
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const path = input.value.trim();
    if (path === '') {
      error.textContent = 'Enter the full path of the certificate file, or use “Stop using it”.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    void save(path);
  });
  clear.addEventListener('click', () => {
    input.value = '';
    void save('');
  });

  return {
    element,
    update(settings) {
      const changed = settings.caFile !== saved;
      saved = settings.caFile;
      // The field follows the saved value, unless the user is typing in it.
      if (changed && document.activeElement !== input) input.value = saved;
      current.textContent =
        saved === ''
          ? 'Only the system’s authorities are trusted.'
          : `Also trusted: ${saved}. Changing it reconnects at once.`;
      clear.disabled = saved === '';
    },
  };
}
