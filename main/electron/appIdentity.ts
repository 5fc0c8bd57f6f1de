/**
 * Who the app is to the OS. Windows files toasts, taskbar grouping and the per-app notification
 * switch under an AppUserModelID; the installer's Start-menu shortcut carries electron-builder's
 * `appId`, so the running app must claim the same one or its toasts are dropped or go out under
 * Electron's name. Unpackaged there is no such shortcut, and Windows accepts the executable's path.
 */
export const APP_ID = 'org.tidings.desktop';

export function appUserModelId(app: { isPackaged: boolean }, execPath: string): string {
  return app.isPackaged ? APP_ID : execPath;
}
