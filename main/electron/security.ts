/**
 * The inbox window's security policy as plain data and pure decisions, so a Node test can assert
 * every rule without an Electron binary. windows.ts and ipc.ts apply them; nothing here imports
 * Electron at runtime (the type import is erased).
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The window runs only our own bundled files: no inline script, no remote anything. The renderer's
 * index.html carries the same policy in a meta tag; the test keeps the two identical.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:";

/** The inbox window's options. Every web preference that matters is spelled out, not defaulted. */
export function inboxWindowOptions(paths: {
  preload: string;
  icon: string;
}): BrowserWindowConstructorOptions {
  return {
    width: 420,
    height: 640,
    minWidth: 340,
    minHeight: 420,
    // Shown only once there is something to show (or never, for a tray-only start).
    show: false,
    title: 'Tidings',
    icon: paths.icon,
    autoHideMenuBar: true,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** True when `url` is the app's own page (any #route or ?query on it is the renderer's business). */
export function isAppPageUrl(url: string, appPageUrl: string): boolean {
  const parsed = safeUrl(url);
  const expected = safeUrl(appPageUrl);
  if (!parsed || !expected) return false;
  return (
    parsed.protocol === 'file:' &&
    expected.protocol === 'file:' &&
    parsed.host === expected.host &&
    parsed.pathname === expected.pathname
  );
}

/**
 * Every request the window's session makes: only our own files (the page's directory), inline
 * data: images and DevTools. Anything remote is cancelled, so no server text can pull content in.
 */
export function isAllowedRequestUrl(url: string, appPageUrl: string): boolean {
  const parsed = safeUrl(url);
  const page = safeUrl(appPageUrl);
  if (!parsed || !page) return false;
  if (parsed.protocol === 'data:' || parsed.protocol === 'devtools:') return true;
  if (parsed.protocol !== 'file:' || page.protocol !== 'file:') return false;
  const appDir = page.pathname.slice(0, page.pathname.lastIndexOf('/') + 1);
  return parsed.host === page.host && parsed.pathname.startsWith(appDir);
}

/** `will-navigate`: the window may only ever (re)load its own page. */
export function shouldBlockNavigation(targetUrl: string, appPageUrl: string): boolean {
  return !isAppPageUrl(targetUrl, appPageUrl);
}

/** `setWindowOpenHandler`: no window.open, no target=_blank. Links go through openItem instead. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Permission requests and checks (camera, notifications from the page, …): always no. */
export function permissionDecision(): false {
  return false;
}

export interface IpcSender {
  /** `event.sender.id`: which webContents sent it. */
  webContentsId: number;
  /** `event.senderFrame?.url`, or null when the frame is gone. */
  frameUrl: string | null;
  /** Whether the sending frame is the top frame (`senderFrame.parent === null`). */
  isMainFrame: boolean;
}

/**
 * IPC handlers answer only the inbox window's own top frame showing the app's own page. An iframe,
 * another window or a page that somehow navigated elsewhere gets refused.
 */
export function isTrustedSender(
  sender: IpcSender,
  trusted: { webContentsId: number | null; appPageUrl: string },
): boolean {
  return (
    trusted.webContentsId !== null &&
    sender.webContentsId === trusted.webContentsId &&
    sender.isMainFrame &&
    sender.frameUrl !== null &&
    isAppPageUrl(sender.frameUrl, trusted.appPageUrl)
  );
}

/** Adds the CSP to a response's headers (used with session.webRequest.onHeadersReceived). */
export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const kept = Object.fromEntries(
    Object.entries(headers ?? {}).filter(
      ([name]) => name.toLowerCase() !== 'content-security-policy',
    ),
  );
  return { ...kept, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] };
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
