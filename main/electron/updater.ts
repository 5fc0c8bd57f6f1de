/**
 * The update port for the packaged app: electron-updater reads the feed electron-builder's
 * `publish` setting names (baked into the package as app-update.yml), downloads a newer build
 * when the core asks, and installs it when the app quits (or at once, on "Restart to install").
 * The policy (when to check, what to say, the one notification) is main/core/updates.ts and
 * appUpdates.ts. Unpackaged there is nothing to update, and electron-updater is never asked.
 */
import electronUpdater from 'electron-updater';
import type { UpdateSource } from '../core/updates.js';

export function createElectronUpdateSource(options: {
  isPackaged: boolean;
  log: (message: string) => void;
}): UpdateSource {
  let configured = false;
  const updater = (): typeof electronUpdater.autoUpdater => {
    const { autoUpdater } = electronUpdater;
    if (!configured) {
      configured = true;
      autoUpdater.logger = {
        info: () => undefined,
        warn: (message: unknown) => options.log(`updates: ${String(message)}`),
        error: (message: unknown) => options.log(`updates: ${String(message)}`),
      };
      // The core decides when to download (once per version) and says when it is ready.
      autoUpdater.autoDownload = false;
      autoUpdater.autoInstallOnAppQuit = true;
    }
    return autoUpdater;
  };
  return {
    async latestVersion() {
      if (!options.isPackaged) return null;
      const result = await updater().checkForUpdates();
      // null: this build cannot update itself (e.g. a Linux build that is not an AppImage or .deb).
      return result ? result.updateInfo.version : null;
    },
    async download() {
      await updater().downloadUpdate();
    },
    install() {
      updater().quitAndInstall();
    },
  };
}
