/**
 * The tray app's persisted settings: their schema, their defaults and how a stored value is read
 * back. A settings file edited by hand, or written by an older version, must never stop the app
 * from starting, so every field that fails validation falls back to its default on its own and
 * the caller gets a warning naming it.
 *
 * Settings written before `accounts` existed name their one signed-in account by `serverUrl` and
 * `username`; reading them fills `accounts` with it, so the user does nothing.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { NotificationTypeSchema } from '../../contract/wire.js';
import type { Settings, SettingsPatch } from '../../contract/ipc.js';

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  serverUrl: '',
  username: '',
  accounts: [],
  notificationsEnabled: true,
  pausedUntil: null,
  quietHours: Object.freeze({ enabled: false, start: '22:00', end: '07:00' }),
  mutedTypes: [],
  sound: true,
  startAtLogin: false,
  inboxShortcut: 'CommandOrControl+Alt+Shift+T',
  caFile: '',
});

/**
 * An Electron accelerator with at least one modifier (a bare key would be stolen from every app),
 * or '' for none. https://www.electronjs.org/docs/latest/api/accelerator
 */
const ACCELERATOR =
  /^(?:(?:CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+){1,4}(?:[A-Z0-9]|F(?:[1-9]|1\d|2[0-4])|Space|Tab|Up|Down|Left|Right|Home|End|PageUp|PageDown|Insert|Delete|Backspace|Enter|Plus|[-=;',./`[\]\\])$/;
export const InboxShortcutSchema = z.union([
  z.literal(''),
  z
    .string()
    .max(80)
    .regex(ACCELERATOR, 'use modifiers and a key, like CommandOrControl+Alt+Shift+T'),
]);

const serverUrlSchema = z.union([
  z.literal(''),
  z.url({ protocol: /^https?$/, error: 'use an http:// or https:// address' }),
]);

export const QuietHoursSchema = z.strictObject({
  enabled: z.boolean(),
  start: z.string().regex(TIME_OF_DAY, 'use HH:MM, 24-hour'),
  end: z.string().regex(TIME_OF_DAY, 'use HH:MM, 24-hour'),
});

const usernameSchema = z.string().max(100);

/** How many accounts one tray app follows at once; each is a live connection. */
export const MAX_ACCOUNTS = 10;

const AccountSchema = z.strictObject({
  serverUrl: z.url({ protocol: /^https?$/, error: 'use an http:// or https:// address' }),
  username: usernameSchema.min(1),
});

/** One schema per field, so a bad field is replaced alone and the others survive. */
export const SETTINGS_FIELDS = {
  serverUrl: serverUrlSchema,
  username: usernameSchema,
  accounts: z.array(AccountSchema).max(MAX_ACCOUNTS),
  notificationsEnabled: z.boolean(),
  pausedUntil: z.number().int().min(0).nullable(),
  quietHours: QuietHoursSchema,
  mutedTypes: z.array(NotificationTypeSchema).max(2),
  sound: z.boolean(),
  startAtLogin: z.boolean(),
  inboxShortcut: InboxShortcutSchema,
  caFile: z.union([
    z.literal(''),
    z.string().max(4096).refine(isAbsolute, 'use the full path of a PEM file'),
  ]),
} satisfies { [K in keyof Settings]: z.ZodType<Settings[K]> };

export const SettingsPatchSchema = z
  .strictObject({
    notificationsEnabled: SETTINGS_FIELDS.notificationsEnabled,
    pausedUntil: SETTINGS_FIELDS.pausedUntil,
    quietHours: SETTINGS_FIELDS.quietHours,
    mutedTypes: SETTINGS_FIELDS.mutedTypes,
    sound: SETTINGS_FIELDS.sound,
    startAtLogin: SETTINGS_FIELDS.startAtLogin,
    inboxShortcut: SETTINGS_FIELDS.inboxShortcut,
    caFile: SETTINGS_FIELDS.caFile,
  })
  .partial() satisfies z.ZodType<SettingsPatch>;

export interface ParsedSettings {
  settings: Settings;
  /** One line per field that was replaced by its default. Empty when all was well. */
  warnings: string[];
}

/** Reads settings from anything (a parsed JSON file, electron-store's object, nothing at all). */
export function parseSettings(raw: unknown): ParsedSettings {
  const warnings: string[] = [];
  if (raw === undefined || raw === null) return { settings: defaultSettings(), warnings };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      settings: defaultSettings(),
      warnings: ['settings: expected an object; using the defaults'],
    };
  }
  const source = raw as Record<string, unknown>;
  const settings = defaultSettings();
  for (const key of Object.keys(SETTINGS_FIELDS) as (keyof Settings)[]) {
    if (!(key in source)) continue;
    const result = SETTINGS_FIELDS[key].safeParse(source[key]);
    if (result.success) {
      assignField(settings, key, result.data);
    } else {
      warnings.push(
        `settings: "${key}" is invalid (${result.error.issues[0]?.message ?? 'bad value'}); using the default`,
      );
    }
  }
  if (!('accounts' in source) && settings.serverUrl !== '' && settings.username !== '') {
    settings.accounts = [{ serverUrl: settings.serverUrl, username: settings.username }];
  }
  return { settings, warnings };
}

export function defaultSettings(): Settings {
  return {
    ...DEFAULT_SETTINGS,
    quietHours: { ...DEFAULT_SETTINGS.quietHours },
    accounts: [],
    mutedTypes: [],
  };
}

function assignField<K extends keyof Settings>(target: Settings, key: K, value: unknown): void {
  // The value was just validated by SETTINGS_FIELDS[key], whose output type is Settings[K].
  target[key] = value as Settings[K];
}
