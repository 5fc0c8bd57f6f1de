/**
 * The inbox window and the rules every web page in the app lives under. The policy itself is pure
 * data in security.ts; this file applies it to Electron's objects.
 */
import { BrowserWindow, app, session, type Session, type WebContents } from 'electron';
import {
  inboxWindowOptions,
  isAllowedRequestUrl,
  permissionDecision,
  shouldBlockNavigation,
  windowOpenDecision,
  withContentSecurityPolicy,
} from './security.js';

/** The views the window can open on; the renderer reads the hash ("#settings"). */
export type InboxView = 'inbox' | 'settings';

export interface InboxWindowController {
  show(view?: InboxView): void;
  toggle(): void;
  /** The window's webContents while it exists (IPC checks senders against it). */
  contents(): WebContents | null;
  /** The underlying window, created on demand. */
  window(): BrowserWindow | null;
  /** Lets the window close for real (on quit) instead of hiding to the tray. */
  allowClose(): void;
}

export function createInboxWindowController(options: {
  preloadPath: string;
  pagePath: string;
  pageUrl: string;
  iconPath: string;
  /** Tells the core whether the user is looking at the inbox (no toasts while they are). */
  onVisibilityChanged: (visible: boolean) => void;
  /** Called after the window is created, e.g. to set its overlay icon. */
  onCreated?: (window: BrowserWindow) => void;
}): InboxWindowController {
  let win: BrowserWindow | null = null;
  let closing = false;

  const create = (view: InboxView): BrowserWindow => {
    const created = new BrowserWindow(
      inboxWindowOptions({ preload: options.preloadPath, icon: options.iconPath }),
    );
    const report = (): void =>
      options.onVisibilityChanged(
        !created.isDestroyed() && created.isVisible() && created.isFocused(),
      );
    for (const event of ['show', 'hide', 'focus', 'blur', 'minimize', 'restore'] as const) {
      created.on(event as 'show', report);
    }
    // Closing the window keeps the app in the tray; only quitting really closes it.
    created.on('close', (event) => {
      if (closing) return;
      event.preventDefault();
      created.hide();
    });
    created.on('closed', () => {
      win = null;
      options.onVisibilityChanged(false);
    });
    created.once('ready-to-show', () => created.show());
    void created.loadFile(options.pagePath, view === 'settings' ? { hash: 'settings' } : {});
    options.onCreated?.(created);
    return created;
  };

  const show = (view: InboxView = 'inbox'): void => {
    if (!win || win.isDestroyed()) {
      win = create(view);
      return;
    }
    if (view === 'settings') void win.loadFile(options.pagePath, { hash: 'settings' });
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  return {
    show,
    toggle() {
      if (win && !win.isDestroyed() && win.isVisible() && win.isFocused()) win.hide();
      else show();
    },
    contents: () => (win && !win.isDestroyed() ? win.webContents : null),
    window: () => (win && !win.isDestroyed() ? win : null),
    allowClose() {
      closing = true;
    },
  };
}

/**
 * The default session serves only our own files: remote requests are cancelled, the CSP header is
 * added to every response (the page's meta tag carries the same policy), and every permission
 * request (camera, geolocation, notifications from the page, …) is refused.
 */
export function hardenSession(pageUrl: string, target: Session = session.defaultSession): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(permissionDecision()),
  );
  target.setPermissionCheckHandler(() => permissionDecision());
  target.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRequestUrl(details.url, pageUrl) }),
  );
  target.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }),
  );
}

/**
 * Whatever web contents ever gets created (the inbox, DevTools, anything a bug might open) may not
 * navigate away from the app's page, open windows or attach a <webview>.
 */
export function hardenAllWebContents(pageUrl: string): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (shouldBlockNavigation(url, pageUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (shouldBlockNavigation(url, pageUrl)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => windowOpenDecision());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
