/**
 * The inbox window and the rules every web page in the app lives under. The policy itself is pure
 * data in security.ts; this file applies it to Electron's objects.
 */
import {
  BrowserWindow,
  app,
  screen,
  session,
  type Rectangle,
  type Session,
  type WebContents,
} from 'electron';
import { popoverPosition } from './popover.js';
import {
  inboxWindowOptions,
  isAllowedRequestUrl,
  permissionDecision,
  shouldBlockNavigation,
  windowOpenDecision,
  withContentSecurityPolicy,
} from './security.js';

/** The views the window can open on; the renderer reads the hash ("#settings", "#about"). */
export type InboxView = 'inbox' | 'settings' | 'about';

const hashOf = (view: InboxView): { hash?: string } => (view === 'inbox' ? {} : { hash: view });

export interface InboxWindowController {
  /** Opens the window, placed at the tray icon, in front and focused. */
  show(view?: InboxView): void;
  /** What a tray click does: opens the inbox, or closes it when it is what the user is looking at. */
  toggle(): void;
  /** The window's webContents while it exists (IPC checks senders against it). */
  contents(): WebContents | null;
  /** The underlying window, created on demand. */
  window(): BrowserWindow | null;
  /** Keeps the window up while `task` runs (a dialog attached to it takes the focus). */
  holdOpen<T>(task: Promise<T>): Promise<T>;
  /** Lets the window close for real (on quit) instead of hiding to the tray. */
  allowClose(): void;
}

/**
 * A click on the tray icon first takes the focus from the window (which then hides on blur), and
 * only then arrives as 'click'. A click that soon after a blur-hide meant "close", not "reopen".
 */
const BLUR_CLICK_WINDOW_MS = 300;

export function createInboxWindowController(options: {
  preloadPath: string;
  pagePath: string;
  pageUrl: string;
  iconPath: string;
  platform: NodeJS.Platform;
  /** Where the tray icon is (tray.getBounds()); zeros when the OS does not say. */
  trayBounds: () => Rectangle;
  /** Tells the core whether the user is looking at the inbox (no toasts while they are). */
  onVisibilityChanged: (visible: boolean) => void;
  /** Called after the window is created, e.g. to set its overlay icon. */
  onCreated?: (window: BrowserWindow) => void;
  now?: () => number;
}): InboxWindowController {
  const now = options.now ?? Date.now;
  let win: BrowserWindow | null = null;
  let closing = false;
  let held = 0;
  let hiddenByBlurAt = -Infinity;

  const place = (target: BrowserWindow): void => {
    const cursor = screen.getCursorScreenPoint();
    const trayBounds = options.trayBounds();
    const known = trayBounds.width > 0 && trayBounds.height > 0;
    const display = screen.getDisplayNearestPoint(
      known ? { x: trayBounds.x, y: trayBounds.y } : cursor,
    );
    const [width = 0, height = 0] = target.getSize();
    target.setPosition(
      ...toPair(
        popoverPosition({
          trayBounds,
          cursor,
          workArea: display.workArea,
          size: { width, height },
        }),
      ),
    );
  };

  const bringForward = (target: BrowserWindow): void => {
    // A tray-only macOS app is never the active app: without this the window opens behind the
    // app in front.
    if (options.platform === 'darwin') app.focus({ steal: true });
    if (target.isMinimized()) target.restore();
    target.show();
    target.focus();
  };

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
    // A popover: it goes away when the user clicks elsewhere or presses Esc.
    created.on('blur', () => {
      if (held > 0 || closing || created.isDestroyed() || !created.isVisible()) return;
      if (created.webContents.isDevToolsOpened()) return;
      hiddenByBlurAt = now();
      created.hide();
    });
    created.webContents.on('before-input-event', (event, input) => {
      if (input.type === 'keyDown' && input.key === 'Escape') {
        event.preventDefault();
        created.hide();
      }
    });
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
    created.once('ready-to-show', () => {
      place(created);
      bringForward(created);
    });
    void created.loadFile(options.pagePath, hashOf(view));
    options.onCreated?.(created);
    return created;
  };

  const show = (view: InboxView = 'inbox'): void => {
    if (!win || win.isDestroyed()) {
      win = create(view);
      return;
    }
    if (view !== 'inbox') void win.loadFile(options.pagePath, hashOf(view));
    if (!win.isVisible()) place(win);
    bringForward(win);
  };

  return {
    show,
    toggle() {
      if (win && !win.isDestroyed() && win.isVisible() && win.isFocused()) win.hide();
      else if (now() - hiddenByBlurAt < BLUR_CLICK_WINDOW_MS) hiddenByBlurAt = -Infinity;
      else show();
    },
    contents: () => (win && !win.isDestroyed() ? win.webContents : null),
    window: () => (win && !win.isDestroyed() ? win : null),
    async holdOpen(task) {
      held += 1;
      try {
        return await task;
      } finally {
        held -= 1;
      }
    },
    allowClose() {
      closing = true;
    },
  };
}

function toPair(point: { x: number; y: number }): [number, number] {
  return [point.x, point.y];
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
