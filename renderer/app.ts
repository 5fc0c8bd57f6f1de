/**
 * The window's shell: picks the screen (sign-in, inbox, settings) from each snapshot, and shows
 * what belongs to every screen: the connection banner and the notice line.
 */
import type { AppSnapshot, TidingsApi } from '../contract/ipc.js';
import { el, replaceChildren } from './elements.js';
import { icon } from './icons.js';
import { connectionBanner, windowTitle } from './present.js';
import { createAboutView } from './views/about.js';
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
  // The tray menu's "Settings…" and "About" open the window at index.html#settings, #about.
  const screenFromHash = (): Screen =>
    location.hash === '#settings' ? 'settings' : location.hash === '#about' ? 'about' : 'inbox';
  let screen: Screen = screenFromHash();
  window.addEventListener('hashchange', () => context.navigate(screenFromHash()));
  let current: View | null = null;
  /**
   * The notice line shows ONE message: the latest of the core's notices (in snapshots) and the
   * window's own errors (an action's refusal). The core often reports the same failure both ways
   * (a notice and the action's result), so the newer one replaces the older instead of stacking.
   */
  let noticeLine: { source: 'core'; id: number } | { source: 'window'; message: string } | null =
    null;
  let lastCoreNoticeId: number | null = null;
  let countdown: ReturnType<typeof setInterval> | null = null;
  let bannerState: AppSnapshot['status']['state'] | null = null;

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
      const fromCore = snapshot?.notice;
      // The core already said this (its notices wrap the same message): keep its version.
      if (noticeLine?.source === 'core' && fromCore?.message.includes(message)) return;
      noticeLine = { source: 'window', message };
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
    addAccount: createSignInView(context, {
      done: () => context.navigate('settings'),
      cancel: () => context.navigate('settings'),
    }),
    about: createAboutView(context),
  };

  function renderBanner(): void {
    if (!snapshot) return;
    // Without an account, the sign-in screen itself says why; a banner would repeat it.
    const content = snapshot.account ? connectionBanner(snapshot.status, now()) : null;
    banner.hidden = content === null;
    // Announce a change of state, not every tick of the countdown.
    const state = content ? snapshot.status.state : null;
    banner.setAttribute('aria-live', state === bannerState ? 'off' : 'polite');
    bannerState = state;
    if (!content) return replaceChildren(banner);
    banner.dataset['tone'] = content.tone;
    const action = content.offerSignIn
      ? el('button', { type: 'button', class: 'banner-action' }, 'Sign in again')
      : null;
    // Signing out clears the stale account, which brings back the sign-in screen, prefilled.
    action?.addEventListener('click', () => void api.signOut());
    const detail = content.detail ? el('span', { class: 'banner-detail' }, content.detail) : null;
    replaceChildren(banner, el('span', { class: 'banner-text' }, content.text, detail), action);
  }

  function takeCoreNotice(next: AppSnapshot): void {
    const fromCore = next.notice;
    if (fromCore && fromCore.id !== lastCoreNoticeId)
      noticeLine = { source: 'core', id: fromCore.id };
    if (!fromCore && noticeLine?.source === 'core') noticeLine = null;
    lastCoreNoticeId = fromCore?.id ?? null;
  }

  function renderNotice(): void {
    const fromCore = snapshot?.notice ?? null;
    const message =
      noticeLine?.source === 'window'
        ? noticeLine.message
        : noticeLine?.source === 'core' && fromCore?.id === noticeLine.id
          ? fromCore.message
          : null;
    notice.hidden = message === null;
    if (message === null) return replaceChildren(notice);
    notice.dataset['kind'] = noticeLine?.source === 'core' ? (fromCore?.kind ?? 'error') : 'error';
    const dismiss = el(
      'button',
      { type: 'button', class: 'icon-button', 'aria-label': 'Dismiss', title: 'Dismiss' },
      icon('close'),
    );
    dismiss.addEventListener('click', () => {
      // Dismissing clears the line: the core's notice too, or it would resurface underneath.
      if (fromCore) void api.dismissNotice(fromCore.id);
      noticeLine = null;
      renderNotice();
    });
    replaceChildren(notice, el('span', { class: 'notice-text' }, message), dismiss);
  }

  function render(screenChanged = false): void {
    if (!snapshot) return;
    // About needs no account (the tray menu opens it at any time); the other screens do.
    const next: View =
      screen === 'about'
        ? views.about
        : !snapshot.account
          ? views.signIn
          : screen === 'settings'
            ? views.settings
            : screen === 'add-account'
              ? views.addAccount
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
    // Both states carry a retryAt the banner counts down to.
    const state = snapshot?.status.state;
    const offline = state === 'offline' || state === 'waiting-for-keychain';
    if (offline && countdown === null) countdown = setInterval(renderBanner, COUNTDOWN_MS);
    if (!offline && countdown !== null) {
      clearInterval(countdown);
      countdown = null;
    }
  }

  setInterval(() => {
    if (current === views.inbox) views.inbox.refreshTimes();
  }, AGE_REFRESH_MS);

  return {
    update(next) {
      if (!next.account && screen === 'settings') screen = 'inbox';
      takeCoreNotice(next);
      snapshot = next;
      render();
    },
    get hasSnapshot() {
      return snapshot !== null;
    },
  };
}
