/**
 * This copy of the app and its updates, as the core shows them: the About view's facts (name,
 * version, where updates stand), the user's "Check for updates" and "Restart to install", and one
 * native notification when a new version has downloaded ("Tidings 1.2.0 is ready — restart to
 * install"), once per version, whose click opens the About view. Without an update source (tests,
 * plain Node) the build says it does not update itself.
 */
import type { AboutInfo, ActionResult, Settings } from '../../contract/ipc.js';
import { suppressionReason } from './alertPolicy.js';
import type { Clock, NativeNotification, Notifier } from './ports.js';
import { createUpdateChecker, type UpdateSource, type UpdateState } from './updates.js';

export interface AppIdentity {
  name: string;
  version: string;
}

export interface AppUpdates {
  about(): AboutInfo;
  /** The quiet background checks. */
  start(): void;
  stop(): void;
  checkNow(): Promise<ActionResult>;
  install(): Promise<ActionResult>;
}

/** What the notification says; its click opens the About view. */
export function updateReadyNotification(app: AppIdentity, version: string): NativeNotification {
  return {
    title: app.name,
    body: `${app.name} ${version} is ready — restart to install`,
    silent: true,
    action: { kind: 'open-about' },
    itemIds: [],
  };
}

export function createAppUpdates(options: {
  app: AppIdentity;
  source: UpdateSource | undefined;
  notifier: Notifier;
  settings: () => Settings;
  clock: Clock;
  log: (message: string) => void;
  changed: () => void;
}): AppUpdates {
  const { app, source, clock, log } = options;
  const notified = new Set<string>();

  const announce = (version: string): void => {
    if (notified.has(version)) return;
    notified.add(version);
    // The user's "no pop-ups" holds for this too; the About view and the tray still say it.
    const quiet = suppressionReason({
      settings: options.settings(),
      inboxVisible: false,
      now: clock.now(),
    });
    if (quiet !== null) {
      log(`updates: ${version} is ready; no notification (${quiet})`);
      return;
    }
    options.notifier.notify(updateReadyNotification(app, version), () => undefined);
  };

  const checker = source
    ? createUpdateChecker({
        source,
        currentVersion: app.version,
        clock,
        log,
        onDownloaded: announce,
        onChange: options.changed,
      })
    : null;
  const state = (): UpdateState => checker?.state() ?? { kind: 'disabled' };

  return {
    about: () => ({ appName: app.name, appVersion: app.version, updates: state() }),
    start: () => checker?.start(),
    stop: () => checker?.stop(),
    async checkNow() {
      await checker?.checkNow();
      return { ok: true };
    },
    async install() {
      const current = state();
      if (source === undefined || current.kind !== 'downloaded') {
        return {
          ok: false,
          code: 'no_update',
          message: 'No new version has been downloaded yet.',
        };
      }
      log(`updates: restarting to install ${current.version}`);
      source.install();
      return { ok: true };
    },
  };
}
