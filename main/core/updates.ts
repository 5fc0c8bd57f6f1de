/**
 * When to look for a new version of the app, and what to tell the user. The looking itself is
 * behind a port (UpdateSource): in the app it is electron-updater, which reads the release feed
 * (latest.yml, latest-mac.yml, latest-linux.yml), downloads a newer build in the background and
 * installs it on quit. This decides the rest: a quiet check at start and every few hours, errors
 * in the background logged and never shown, and a clear answer when the user asks.
 */
import semver from 'semver';
import type { Clock } from './ports.js';

export interface UpdateSource {
  /** The newest version the feed offers, or null when this build does not update (unpackaged). */
  latestVersion(): Promise<string | null>;
}

export type UpdateState =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'disabled' }
  | { kind: 'up-to-date'; version: string }
  | { kind: 'available'; version: string }
  | { kind: 'error'; message: string };

export interface UpdateChecker {
  /** Checks now, then every `intervalMs`. */
  start(): void;
  stop(): void;
  /** A check the user asked for (the tray's "Check for updates…"). */
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
  /** Called when a check finds a newer version (the shell may say so, once). */
  onAvailable?: (version: string) => void;
}): UpdateChecker {
  let state: UpdateState = { kind: 'idle' };
  let timer: { cancel(): void } | null = null;
  let running: Promise<UpdateState> | null = null;
  let announced = '';

  const check = (): Promise<UpdateState> => {
    // A manual check during a background one shares its answer.
    running ??= (async () => {
      state = { kind: 'checking' };
      try {
        const latest = await options.source.latestVersion();
        if (latest === null) state = { kind: 'disabled' };
        else if (semver.valid(latest) === null) {
          throw new Error(`the feed's version "${latest}" is not a version number`);
        } else if (semver.gt(latest, options.currentVersion)) {
          state = { kind: 'available', version: latest };
          if (announced !== latest) {
            announced = latest;
            options.onAvailable?.(latest);
          }
        } else state = { kind: 'up-to-date', version: options.currentVersion };
      } catch (error) {
        const message = error instanceof Error ? firstLine(error.message) : String(error);
        options.log(`updates: the check failed: ${message}`);
        state = { kind: 'error', message };
      }
      return state;
    })().finally(() => {
      running = null;
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
