/**
 * A stand-in for electron-updater's `autoUpdater`, for the shell's update wiring
 * (test/shell/updateWiring.test.ts): it offers the version the test sets, "downloads" it at once,
 * and records what the app asked of it. The same calls as electron-updater 6's AppUpdater.
 */
export const updaterCalls: string[] = [];

export const autoUpdater = {
  /** What the feed offers; null: checkForUpdates answers null (an unsupported build). */
  offered: '9.9.9' as string | null,
  autoDownload: true,
  autoInstallOnAppQuit: false,
  logger: null as unknown,
  async checkForUpdates(): Promise<{ updateInfo: { version: string } } | null> {
    updaterCalls.push('checkForUpdates');
    return this.offered === null ? null : { updateInfo: { version: this.offered } };
  },
  async downloadUpdate(): Promise<string[]> {
    updaterCalls.push('downloadUpdate');
    return [`/tmp/Tidings-${this.offered ?? ''}.AppImage`];
  },
  quitAndInstall(): void {
    updaterCalls.push('quitAndInstall');
  },
};

export default { autoUpdater };
