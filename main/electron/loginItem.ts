/**
 * Start at login, per OS. Linux has no login-item API in Electron: an XDG autostart entry does the
 * job. Windows registers a Run key for the executable, so an unpackaged run must pass the app's
 * folder as its argument, or login would start a bare electron.exe. macOS registers the app
 * bundle, which unpackaged is Electron.app itself: there the switch is refused with a reason.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setLinuxAutostart } from './linuxAutostart.js';

export interface LoginItemHost {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  execPath: string;
  appPath: string;
  env: NodeJS.ProcessEnv;
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

/** Applies the setting; resolves with a reason when it cannot be honoured here. */
export async function applyStartAtLogin(
  enabled: boolean,
  host: LoginItemHost,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const devArgs = host.isPackaged ? [] : [host.appPath];
  switch (host.platform) {
    case 'linux':
      await setLinuxAutostart(enabled, {
        configHome: host.env['XDG_CONFIG_HOME'] || join(homedir(), '.config'),
        // An AppImage must be started through its file, not the mounted copy that runs now.
        command: [host.env['APPIMAGE'] ?? host.execPath, ...devArgs],
      });
      return { ok: true };
    case 'win32':
      host.setLoginItemSettings({ openAtLogin: enabled, path: host.execPath, args: devArgs });
      return { ok: true };
    default:
      if (!host.isPackaged) {
        return {
          ok: false,
          reason: 'start at login needs the packaged app on macOS (unpackaged it is Electron.app)',
        };
      }
      host.setLoginItemSettings({ openAtLogin: enabled });
      return { ok: true };
  }
}
