/**
 * Settings: server and account (sign out), notifications (on/off, sound, muted types, quiet
 * hours, pause), start at login and the global shortcut. Every control saves at once through updateSettings; the next
 * snapshot is the truth, so a refused change snaps back. The private certificate authority has
 * its own part (caFileSetting.ts); "About Tidings" opens the About screen.
 */
import type { AppSnapshot, Settings, SettingsPatch } from '../../contract/ipc.js';
import type { NotificationType } from '../../contract/wire.js';
import { el, replaceChildren } from '../elements.js';
import { icon } from '../icons.js';
import { isClockTime, pauseDescription } from '../present.js';
import { createAccountList } from './accounts.js';
import { createCaFileSetting } from './caFileSetting.js';
import type { View, ViewContext } from './view.js';

const MUTABLE_TYPES: { type: NotificationType; label: string }[] = [
  { type: 'new_post', label: 'New posts' },
  { type: 'post_liked', label: 'Likes on my posts' },
  { type: 'announcement', label: 'Announcements' },
];

function checkbox(
  id: string,
  label: string,
  hint?: string,
): { row: HTMLElement; input: HTMLInputElement } {
  const input = el('input', { id, type: 'checkbox', role: 'switch' });
  const row = el(
    'div',
    { class: 'toggle' },
    el(
      'label',
      { for: id },
      el('span', { class: 'toggle-label' }, label),
      hint ? el('span', { class: 'hint' }, hint) : null,
    ),
    input,
  );
  return { row, input };
}

export function createSettingsView(context: ViewContext): View {
  let snapshot: AppSnapshot | null = null;

  const back = el(
    'button',
    { type: 'button', class: 'icon-button', 'aria-label': 'Back to inbox', title: 'Back to inbox' },
    icon('back'),
  );
  back.addEventListener('click', () => context.navigate('inbox'));

  const serverValue = el('dd', { class: 'server-url' });
  const userValue = el('dd', {});
  const signOut = el('button', { type: 'button', class: 'danger' }, 'Sign out');
  const status = el('p', { class: 'settings-status', role: 'status', 'aria-live': 'polite' });
  const accounts = createAccountList(context);

  const enabled = checkbox(
    'setting-notifications',
    'Show notifications',
    'The badge keeps counting either way.',
  );
  const sound = checkbox('setting-sound', 'Play a sound');
  const muted = new Map<NotificationType, HTMLInputElement>();
  const typeRows = MUTABLE_TYPES.map(({ type, label }) => {
    const { row, input } = checkbox(`setting-type-${type}`, label);
    muted.set(type, input);
    input.addEventListener('change', () => {
      if (!snapshot) return;
      const others = snapshot.settings.mutedTypes.filter((existing) => existing !== type);
      void save({ mutedTypes: input.checked ? others : [...others, type] });
    });
    return row;
  });

  const quiet = checkbox('setting-quiet', 'Quiet hours', 'No pop-ups in this window of the day.');
  const quietStart = el('input', { id: 'setting-quiet-start', type: 'time', required: true });
  const quietEnd = el('input', { id: 'setting-quiet-end', type: 'time', required: true });
  const quietTimes = el(
    'div',
    { class: 'quiet-times' },
    el('label', { for: 'setting-quiet-start' }, 'From'),
    quietStart,
    el('label', { for: 'setting-quiet-end' }, 'to'),
    quietEnd,
  );

  const pauseText = el('span', { class: 'pause-text' });
  const pauseButton = el('button', { type: 'button', class: 'secondary' });
  const startAtLogin = checkbox('setting-start-at-login', 'Start Tidings at login');
  const shortcut = el('input', {
    id: 'setting-shortcut',
    type: 'text',
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': 'setting-shortcut-hint',
  });
  const shortcutRow = el(
    'div',
    { class: 'shortcut' },
    el('label', { for: 'setting-shortcut' }, 'Shortcut to open the inbox'),
    shortcut,
    el(
      'p',
      { id: 'setting-shortcut-hint', class: 'hint' },
      'For example CommandOrControl+Alt+Shift+T. Leave it empty to turn the shortcut off.',
    ),
  );

  const caFile = createCaFileSetting(context);
  const about = el('button', { type: 'button', class: 'secondary' }, 'About Tidings');
  about.addEventListener('click', () => context.navigate('about'));

  const element = el(
    'main',
    { class: 'screen settings' },
    el(
      'header',
      { class: 'bar' },
      el('div', { class: 'bar-title' }, back, el('h1', {}, 'Settings')),
    ),
    el(
      'div',
      { class: 'settings-body' },
      el(
        'section',
        { 'aria-labelledby': 'settings-account' },
        el('h2', { id: 'settings-account' }, 'Account'),
        el(
          'dl',
          { class: 'account' },
          el('dt', {}, 'Server'),
          serverValue,
          el('dt', {}, 'Signed in as'),
          userValue,
        ),
        signOut,
      ),
      accounts.element,
      el(
        'section',
        { 'aria-labelledby': 'settings-notifications' },
        el('h2', { id: 'settings-notifications' }, 'Notifications'),
        enabled.row,
        sound.row,
        el('fieldset', {}, el('legend', {}, 'Notify me about'), ...typeRows),
        quiet.row,
        quietTimes,
        el('div', { class: 'pause' }, pauseText, pauseButton),
      ),
      el(
        'section',
        { 'aria-labelledby': 'settings-general' },
        el('h2', { id: 'settings-general' }, 'General'),
        startAtLogin.row,
        shortcutRow,
        about,
      ),
      caFile.element,
      status,
    ),
  );

  async function save(patch: SettingsPatch): Promise<void> {
    status.textContent = '';
    try {
      const result = await context.api.updateSettings(patch);
      if (!result.ok) {
        status.textContent = result.message;
        if (snapshot) render(snapshot.settings);
      }
    } catch {
      status.textContent = 'The app did not answer. Try again.';
    }
  }

  enabled.input.addEventListener(
    'change',
    () => void save({ notificationsEnabled: enabled.input.checked }),
  );
  sound.input.addEventListener('change', () => void save({ sound: sound.input.checked }));
  startAtLogin.input.addEventListener(
    'change',
    () => void save({ startAtLogin: startAtLogin.input.checked }),
  );
  shortcut.addEventListener('change', () => void save({ inboxShortcut: shortcut.value.trim() }));
  quiet.input.addEventListener('change', () => {
    if (snapshot)
      void save({ quietHours: { ...snapshot.settings.quietHours, enabled: quiet.input.checked } });
  });
  for (const [input, key] of [
    [quietStart, 'start'],
    [quietEnd, 'end'],
  ] as const) {
    input.addEventListener('change', () => {
      if (!snapshot) return;
      if (!isClockTime(input.value)) {
        status.textContent = 'Enter a time like 22:00.';
        return;
      }
      void save({ quietHours: { ...snapshot.settings.quietHours, [key]: input.value } });
    });
  }

  pauseButton.addEventListener('click', () => {
    if (!snapshot) return;
    const paused = pauseDescription(snapshot.settings.pausedUntil, context.now()) !== null;
    void (async () => {
      try {
        const result = await context.api.pauseNotifications(paused ? 0 : 60);
        if (!result.ok) status.textContent = result.message;
      } catch {
        status.textContent = 'The app did not answer. Try again.';
      }
    })();
  });

  signOut.addEventListener('click', () => {
    signOut.disabled = true;
    void (async () => {
      try {
        const result = await context.api.signOut();
        if (!result.ok) status.textContent = result.message;
        else context.navigate('inbox');
      } catch {
        status.textContent = 'The app did not answer. Try again.';
      } finally {
        signOut.disabled = false;
      }
    })();
  });

  /** Sets a control from the settings unless the user is in the middle of editing it. */
  function reflect(input: HTMLInputElement, apply: () => void): void {
    if (document.activeElement === input && input.type !== 'checkbox') return;
    apply();
  }

  function render(settings: Settings): void {
    reflect(enabled.input, () => (enabled.input.checked = settings.notificationsEnabled));
    reflect(sound.input, () => (sound.input.checked = settings.sound));
    sound.input.disabled = !settings.notificationsEnabled;
    for (const [type, input] of muted) {
      reflect(input, () => (input.checked = !settings.mutedTypes.includes(type)));
      input.disabled = !settings.notificationsEnabled;
    }
    reflect(quiet.input, () => (quiet.input.checked = settings.quietHours.enabled));
    reflect(quietStart, () => (quietStart.value = settings.quietHours.start));
    reflect(quietEnd, () => (quietEnd.value = settings.quietHours.end));
    quietStart.disabled = quietEnd.disabled = !settings.quietHours.enabled;
    reflect(startAtLogin.input, () => (startAtLogin.input.checked = settings.startAtLogin));
    reflect(shortcut, () => (shortcut.value = settings.inboxShortcut));

    const paused = pauseDescription(settings.pausedUntil, context.now());
    pauseText.textContent =
      paused ??
      (settings.notificationsEnabled ? 'Notifications are on.' : 'Notifications are off.');
    replaceChildren(pauseButton, paused ? 'Resume' : 'Pause for 1 hour');
  }

  return {
    element,
    update(next) {
      snapshot = next;
      // Among several accounts the list below speaks for each; one "signed in as" would not.
      const accountSection = signOut.parentElement;
      if (accountSection) accountSection.hidden = (next.accounts?.length ?? 0) > 1;
      accounts.update(next);
      serverValue.textContent = next.account?.serverUrl ?? next.settings.serverUrl;
      userValue.textContent = next.account?.username ?? next.settings.username;
      render(next.settings);
      caFile.update(next.settings);
    },
    focus() {
      back.focus();
    },
  };
}
