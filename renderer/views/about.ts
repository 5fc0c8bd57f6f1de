/**
 * About Tidings: this copy's name and version, the server it is signed in to and that server's
 * version (from its /healthz, asked when the view opens and when the connection comes back), and
 * where updates stand, with "Check for updates" and, once a new version has downloaded, "Restart
 * to install". A build that does not update itself says so instead of pretending to check.
 */
import type { AppSnapshot, UpdateStatus } from '../../contract/ipc.js';
import { el, replaceChildren } from '../elements.js';
import { icon } from '../icons.js';
import type { View, ViewContext } from './view.js';

/** One sentence for each update state, as the About view says it. */
export function describeUpdate(status: UpdateStatus, appName: string): string {
  switch (status.kind) {
    case 'idle':
      return 'Not checked for updates yet.';
    case 'checking':
      return 'Checking for updates…';
    case 'disabled':
      return `This copy of ${appName} does not update itself: it is not an installed release (for example, it runs from source). Install a release to get updates.`;
    case 'up-to-date':
      return `${appName} ${status.version} is up to date.`;
    case 'available':
      return `${appName} ${status.version} is available. It is downloading, and will be installed when you quit ${appName}.`;
    case 'downloaded':
      return `${appName} ${status.version} is ready. Restart to install it now, or it installs when you quit.`;
    case 'error':
      return `Could not check for updates: ${status.message}`;
  }
}

/** What the view knows of the server's version: asked for, known, or why not. */
type ServerVersion =
  { state: 'asking' } | { state: 'known'; version: string } | { state: 'unknown'; reason: string };

export function createAboutView(context: ViewContext): View {
  let snapshot: AppSnapshot | null = null;
  let serverVersion: ServerVersion = { state: 'asking' };
  let askedFor = '';
  let asking = 0;
  let wasOnline = false;

  const back = el(
    'button',
    { type: 'button', class: 'icon-button', 'aria-label': 'Back to inbox', title: 'Back to inbox' },
    icon('back'),
  );
  back.addEventListener('click', () => context.navigate('inbox'));

  const heading = el('h1', {}, 'About Tidings');
  const appName = el('dd', {});
  const appVersion = el('dd', { class: 'app-version' });
  const serverSection = el('section', { 'aria-labelledby': 'about-server' });
  const updateText = el('p', { class: 'update-status', role: 'status', 'aria-live': 'polite' });
  const checkButton = el('button', { type: 'button', class: 'secondary' }, 'Check for updates');
  const installButton = el('button', { type: 'button', class: 'primary' }, 'Restart to install');
  const actionError = el('p', { class: 'settings-status', role: 'alert' });

  const element = el(
    'main',
    { class: 'screen about' },
    el('header', { class: 'bar' }, el('div', { class: 'bar-title' }, back, heading)),
    el(
      'div',
      { class: 'settings-body' },
      el(
        'section',
        { 'aria-labelledby': 'about-app' },
        el('h2', { id: 'about-app' }, 'This app'),
        el(
          'dl',
          { class: 'account' },
          el('dt', {}, 'Name'),
          appName,
          el('dt', {}, 'Version'),
          appVersion,
        ),
      ),
      serverSection,
      el(
        'section',
        { 'aria-labelledby': 'about-updates' },
        el('h2', { id: 'about-updates' }, 'Updates'),
        updateText,
        el('div', { class: 'update-actions' }, checkButton, installButton),
        actionError,
      ),
    ),
  );

  const act = (call: () => Promise<{ ok: boolean; message?: string }>): void => {
    actionError.textContent = '';
    void call().then(
      (result) => {
        if (!result.ok) actionError.textContent = result.message ?? 'That did not work.';
      },
      () => {
        actionError.textContent = 'The app did not answer. Try again.';
      },
    );
  };
  checkButton.addEventListener('click', () => act(() => context.api.checkForUpdates()));
  installButton.addEventListener('click', () => act(() => context.api.installUpdate()));

  /** Asks the server's /healthz for its version; a newer answer replaces an older one. */
  function askServerVersion(serverUrl: string): void {
    askedFor = serverUrl;
    const ticket = ++asking;
    serverVersion = { state: 'asking' };
    void context.api.checkServer(serverUrl).then(
      (result) => {
        if (ticket !== asking) return;
        serverVersion = result.ok
          ? { state: 'known', version: result.version }
          : { state: 'unknown', reason: result.message };
        render();
      },
      () => {
        if (ticket !== asking) return;
        serverVersion = { state: 'unknown', reason: 'The app did not answer.' };
        render();
      },
    );
  }

  function renderServer(current: AppSnapshot): void {
    const account = current.account;
    if (!account) {
      replaceChildren(
        serverSection,
        el('h2', { id: 'about-server' }, 'Server'),
        el('p', { class: 'hint' }, 'Not signed in to a server.'),
      );
      return;
    }
    const version =
      serverVersion.state === 'known'
        ? serverVersion.version
        : serverVersion.state === 'asking'
          ? 'Asking the server…'
          : `Not known: ${serverVersion.reason}`;
    replaceChildren(
      serverSection,
      el('h2', { id: 'about-server' }, 'Server'),
      el(
        'dl',
        { class: 'account' },
        el('dt', {}, current.status.state === 'online' ? 'Connected to' : 'Signed in to'),
        el('dd', { class: 'server-url' }, account.serverUrl),
        el('dt', {}, 'Server version'),
        el('dd', { class: 'server-version' }, version),
      ),
    );
  }

  function render(): void {
    if (!snapshot) return;
    const { about } = snapshot;
    heading.textContent = `About ${about.appName}`;
    appName.textContent = about.appName;
    appVersion.textContent = about.appVersion;
    renderServer(snapshot);
    updateText.textContent = describeUpdate(about.updates, about.appName);
    checkButton.disabled = about.updates.kind === 'checking';
    installButton.hidden = about.updates.kind !== 'downloaded';
  }

  return {
    element,
    update(next) {
      snapshot = next;
      const serverUrl = next.account?.serverUrl ?? '';
      const connected = next.status.state === 'online';
      // Asked when the view comes on screen (not yet in the page), for another server, and when
      // the connection comes back (the server may have been upgraded meanwhile).
      const opening = !element.isConnected;
      if (serverUrl !== '' && (opening || serverUrl !== askedFor || (connected && !wasOnline))) {
        askServerVersion(serverUrl);
      }
      wasOnline = connected;
      render();
    },
    focus() {
      back.focus();
    },
  };
}
