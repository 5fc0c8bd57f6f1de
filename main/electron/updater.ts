/**
 * The update port for the packaged app: electron-updater reads the feed electron-builder's
 * `publish` setting names (baked into the package as app-update.yml), downloads a newer build in
 * the background, and installs it when the app quits. The policy (when to check, what to say)
 * is main/core/updates.ts. Unpackaged there is nothing to update, and electron-updater is never
 * loaded.
 */
import electronUpdater from 'electron-updater';
import type { UpdateSource } from '../core/updates.js';

export function createElectronUpdateSource(options: {
  isPackaged: boolean;
  log: (message: string) => void;
}): UpdateSource {
  return {
    async latestVersion() {
      if (!options.isPackaged) return null;
      const { autoUpdater } = electronUpdater;
      autoUpdater.logger = {
        info: () => undefined,
        warn: (message: unknown) => options.log(`updates: ${String(message)}`),
        error: (message: unknown) => options.log(`updates: ${String(message)}`),
      };
      autoUpdater.autoDownload = true;
      autoUpdater.autoInstallOnAppQuit = true;
      const result = await autoUpdater.checkForUpdates();
      // null: this build cannot update itself (e.g. a Linux build that is not an AppImage or .deb).
      return result ? result.updateInfo.version : null;
    },
  };
}
