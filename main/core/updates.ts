/**
 * When to look for a new version of the app, and what to tell the user. The looking and the
 * downloading are behind a port (UpdateSource): in the app it is electron-updater, which reads
 * the release feed (latest.yml, latest-mac.yml, latest-linux.yml), downloads the newer build and
 * installs it on quit. This decides the rest: a quiet check at start and every few hours, a newer
 * version downloaded once, errors in the background logged and never thrown, and a clear state
 * for the About view at every step.
 */
import semver from 'semver';
import type { UpdateStatus } from '../../contract/ipc.js';
import type { Clock } from './ports.js';

export interface UpdateSource {
  /** The newest version the feed offers, or null when this build does not update (unpackaged). */
  latestVersion(): Promise<string | null>;
  /** Downloads that version (the one latestVersion just named); resolves once it is ready. */
  download(version: string): Promise<void>;
  /** Quits the app and installs the downloaded version. */
  install(): void;
}

export type UpdateState = UpdateStatus;

export interface UpdateChecker {
  /** Checks now, then every `intervalMs`. */
  start(): void;
  stop(): void;
  /** A check the user asked for (the tray's "Check for updates…", the About view's button). */
  checkNow(): Promise<UpdateState>;
  state(): UpdateState;
}

/** Four times a day is plenty for a notifier; the feed is one small file. */
export const UPDATE_INTERVAL_MS = 6 * 60 * 60 * 1000;

export function createUpdateChecker(options: {
  source: UpdateSource;
  currentVersion: string;
  clock: Clock;
  log: (message: string) => void;
  intervalMs?: number;
  /** Called when a check finds a newer version, once per version. */
  onAvailable?: (version: string) => void;
  /** Called when a newer version has downloaded and will install on quit, once per version. */
  onDownloaded?: (version: string) => void;
  /** Called at every change of state. */
  onChange?: (state: UpdateState) => void;
}): UpdateChecker {
  let state: UpdateState = { kind: 'idle' };
  let timer: { cancel(): void } | null = null;
  let running: Promise<UpdateState> | null = null;
  let announced = '';
  /** The version being downloaded, and the one that finished; each is fetched once. */
  let downloading = '';
  let downloaded = '';

  const enter = (next: UpdateState): void => {
    state = next;
    options.onChange?.(state);
  };

  const failed = (what: string, error: unknown): void => {
    const message = error instanceof Error ? firstLine(error.message) : String(error);
    options.log(`updates: ${what} failed: ${message}`);
    enter({ kind: 'error', message });
  };

  const download = (version: string): void => {
    if (downloading === version) return;
    downloading = version;
    options.source.download(version).then(
      () => {
        downloaded = version;
        downloading = '';
        // A check running meanwhile ends on "downloaded" by itself (see below).
        if (running === null) enter({ kind: 'downloaded', version });
        options.onDownloaded?.(version);
      },
      (error: unknown) => {
        downloading = '';
        failed(`downloading ${version}`, error);
      },
    );
  };

  const check = (): Promise<UpdateState> => {
    // A manual check during a background one shares its answer.
    running ??= (async () => {
      enter({ kind: 'checking' });
      try {
        const latest = await options.source.latestVersion();
        if (latest === null) enter({ kind: 'disabled' });
        else if (semver.valid(latest) === null) {
          throw new Error(`the feed's version "${latest}" is not a version number`);
        } else if (!semver.gt(latest, options.currentVersion)) {
          enter({ kind: 'up-to-date', version: options.currentVersion });
        } else if (latest === downloaded) {
          enter({ kind: 'downloaded', version: latest });
        } else {
          enter({ kind: 'available', version: latest });
          if (announced !== latest) {
            announced = latest;
            options.onAvailable?.(latest);
          }
          download(latest);
        }
      } catch (error) {
        failed('the check', error);
      }
      return state;
    })().finally(() => {
      running = null;
      // The download finished while the check ran: that is the news.
      if (state.kind === 'available' && state.version === downloaded) {
        enter({ kind: 'downloaded', version: downloaded });
      }
    });
    return running;
  };

  const schedule = (): void => {
    timer = options.clock.setTimeout(() => {
      void check().finally(schedule);
    }, options.intervalMs ?? UPDATE_INTERVAL_MS);
  };

  return {
    start() {
      if (timer) return;
      void check();
      schedule();
    },
    stop() {
      timer?.cancel();
      timer = null;
    },
    checkNow: check,
    state: () => state,
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() || 'unknown error';
}
