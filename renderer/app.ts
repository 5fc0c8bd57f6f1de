/**
 * The window's shell: picks the screen (sign-in, inbox, settings) from each snapshot, and shows
 * what belongs to every screen: the connection banner and the notice line.
 */
import type { AppSnapshot, TidingsApi } from '../contract/ipc.js';
import { el, replaceChildren } from './elements.js';
import { icon } from './icons.js';
import { connectionBanner, windowTitle } from './present.js';
import { createInboxView } from './views/inbox.js';
import { createSettingsView } from './views/settings.js';
import { createSignInView } from './views/signIn.js';
import type { Screen, View, ViewContext } from './views/view.js';

/** How often relative times ("3 min ago") are refreshed; the offline countdown ticks each second. */
const AGE_REFRESH_MS = 30_000;
const COUNTDOWN_MS = 1_000;

export interface App {
  update(snapshot: AppSnapshot): void;
  readonly hasSnapshot: boolean;
}

export function createApp(root: HTMLElement, api: TidingsApi, now: () => number = Date.now): App {
  let snapshot: AppSnapshot | null = null;
  let screen: Screen = 'inbox';
  let current: View | null = null;
  /** An action's failure shown by the window itself (the core's own notices come in snapshots). */
  let localError: { id: number; message: string } | null = null;
  let countdown: ReturnType<typeof setInterval> | null = null;

  const banner = el('div', {
    class: 'banner',
    role: 'status',
    'aria-live': 'polite',
    hidden: true,
  });
  const notice = el('div', { class: 'notice', role: 'alert', hidden: true });
  const stage = el('div', { class: 'stage' });
  replaceChildren(root, banner, notice, stage);

  const context: ViewContext = {
    api,
    now,
    showError(message) {
      localError = { id: (localError?.id ?? 0) + 1, message };
      renderNotice();
    },
    navigate(next) {
      screen = next;
      render(true);
    },
  };
  const views = {
    signIn: createSignInView(context),
    inbox: createInboxView(context),
    settings: createSettingsView(context),
  };

  function renderBanner(): void {
    if (!snapshot) return;
    // Without an account, the sign-in screen itself says why; a banner would repeat it.
    const shown = snapshot.account ? connectionBanner(snapshot.status, now()) : null;
    banner.hidden = shown === null;
    if (!shown) return replaceChildren(banner);
    banner.dataset['tone'] = shown.tone;
    const action = shown.offerSignIn
      ? el('button', { type: 'button', class: 'banner-action' }, 'Sign in again')
      : null;
    // Signing out clears the stale account, which brings back the sign-in screen, prefilled.
    action?.addEventListener('click', () => void api.signOut());
    replaceChildren(banner, el('span', { class: 'banner-text' }, shown.text), action);
  }

  function renderNotice(): void {
    const fromCore = snapshot?.notice ?? null;
    const message = localError?.message ?? fromCore?.message ?? null;
    notice.hidden = message === null;
    if (message === null) return replaceChildren(notice);
    notice.dataset['kind'] = localError ? 'error' : (fromCore?.kind ?? 'error');
    const dismiss = el(
      'button',
      { type: 'button', class: 'icon-button', 'aria-label': 'Dismiss', title: 'Dismiss' },
      icon('close'),
    );
    dismiss.addEventListener('click', () => {
      if (localError) localError = null;
      else if (fromCore) void api.dismissNotice(fromCore.id);
      renderNotice();
    });
    replaceChildren(notice, el('span', { class: 'notice-text' }, message), dismiss);
  }

  function render(screenChanged = false): void {
    if (!snapshot) return;
    const next: View = !snapshot.account
      ? views.signIn
      : screen === 'settings'
        ? views.settings
        : views.inbox;
    next.update(snapshot);
    if (next !== current) {
      const hadFocus = current?.element.contains(document.activeElement) ?? false;
      current = next;
      replaceChildren(stage, next.element);
      if (screenChanged || hadFocus || document.activeElement === document.body) next.focus();
    }
    document.title = windowTitle(snapshot.account ? snapshot.inbox.unreadCount : 0);
    renderBanner();
    renderNotice();
    syncCountdown();
  }

  function syncCountdown(): void {
    const offline = snapshot?.status.state === 'offline';
    if (offline && countdown === null) countdown = setInterval(renderBanner, COUNTDOWN_MS);
    if (!offline && countdown !== null) {
      clearInterval(countdown);
      countdown = null;
    }
  }

  setInterval(() => {
    if (current === views.inbox && snapshot) current.update(snapshot);
  }, AGE_REFRESH_MS);

  return {
    update(next) {
      if (!next.account) screen = 'inbox';
      snapshot = next;
      render();
    },
    get hasSnapshot() {
      return snapshot !== null;
    },
  };
}
