/**
 * The user's settings as the core holds them: loaded at start, saved on every change, and the two
 * ways the window changes them (a validated patch, a pause of notifications).
 */
import type { ActionResult, Settings, SettingsPatch } from '../../contract/ipc.js';
import { describeIssues } from '../../contract/wire.js';
import type { Clock, SettingsStore } from './ports.js';
import { defaultSettings, SettingsPatchSchema } from './settingsSchema.js';
import { readCaFile } from './network.js';

/** The longest pause the menu offers is a week; anything longer is a typo. */
export const MAX_PAUSE_MINUTES = 7 * 24 * 60;

export interface Preferences {
  current(): Settings;
  /** A copy the snapshot can hand out without sharing nested objects. */
  copy(): Settings;
  load(): Settings;
  save(next: Settings): ActionResult;
  update(patch: SettingsPatch): ActionResult;
  pause(minutes: number): ActionResult;
}

export function createPreferences(options: {
  store: SettingsStore;
  clock: Clock;
  log: (message: string) => void;
  /** Called after every successful save. */
  changed: () => void;
  /** Called when a pause begins, before it is saved. */
  paused: () => void;
  /** Called after a saved change of the CA file: connections must be made again with it. */
  trustChanged?: () => void;
}): Preferences {
  // Loaded by load(), as ports.ts promises; until then the defaults stand in.
  let settings = defaultSettings();

  const save = (next: Settings): ActionResult => {
    try {
      options.store.save(next);
    } catch (error) {
      options.log(
        `tidings: settings not saved: ${error instanceof Error ? error.message : String(error)}`,
      );
      return { ok: false, code: 'settings_not_saved', message: 'The settings could not be saved.' };
    }
    settings = next;
    options.changed();
    return { ok: true };
  };

  return {
    current: () => settings,
    copy: () => ({
      ...settings,
      quietHours: { ...settings.quietHours },
      accounts: settings.accounts.map((account) => ({ ...account })),
      mutedTypes: [...settings.mutedTypes],
    }),
    load() {
      settings = options.store.load();
      return settings;
    },
    save,
    update(patch) {
      const parsed = SettingsPatchSchema.safeParse(patch);
      if (!parsed.success) {
        return { ok: false, code: 'invalid_payload', message: describeIssues(parsed.error) };
      }
      const caFile = parsed.data.caFile;
      if (caFile !== undefined && caFile !== '') {
        // Checked now, so the user learns at once, not at the next connection.
        try {
          readCaFile(caFile);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return { ok: false, code: 'invalid_ca_file', message };
        }
      }
      const trustChanged = caFile !== undefined && caFile !== settings.caFile;
      const saved = save({ ...settings, ...parsed.data });
      if (saved.ok && trustChanged) options.trustChanged?.();
      return saved;
    },
    pause(minutes) {
      if (
        typeof minutes !== 'number' ||
        !Number.isFinite(minutes) ||
        minutes < 0 ||
        minutes > MAX_PAUSE_MINUTES
      ) {
        return {
          ok: false,
          code: 'invalid_payload',
          message: `minutes: expected a number from 0 (resume) to ${MAX_PAUSE_MINUTES} (a week)`,
        };
      }
      const pausedUntil = minutes === 0 ? null : options.clock.now() + Math.round(minutes * 60_000);
      if (pausedUntil !== null) options.paused();
      return save({ ...settings, pausedUntil });
    },
  };
}
