/**
 * The application menu. Electron's default one gives every window Reload, Force Reload and Toggle
 * Developer Tools (behind Alt on Windows and Linux), which a packaged app must not offer. This
 * keeps what users need, the Edit roles that make copy, paste and select-all work in the window,
 * and adds the View tools only when unpackaged.
 */
import type { MenuItemConstructorOptions } from 'electron';

export function appMenuTemplate(options: {
  platform: NodeJS.Platform;
  isPackaged: boolean;
}): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  // macOS takes the first menu as the app menu (About, Hide, Quit and their shortcuts).
  if (options.platform === 'darwin') template.push({ role: 'appMenu' });
  template.push({ role: 'editMenu' });
  if (!options.isPackaged) {
    template.push({
      label: 'Development',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }],
    });
  }
  return template;
}
