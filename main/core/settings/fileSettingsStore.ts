/**
 * Settings in a JSON file: what the tests use, and a fallback for running the core outside
 * Electron. Writes are atomic (a temp file renamed over the old one), so a crash mid-write leaves
 * the previous settings rather than half a file. Reads validate every field and fall back to its
 * default with a warning.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Settings } from '../../../contract/ipc.js';
import type { SettingsStore } from '../ports.js';
import { defaultSettings, parseSettings } from '../settingsSchema.js';

export function createFileSettingsStore(
  file: string,
  warn: (message: string) => void = (message) => console.warn(message),
): SettingsStore {
  return {
    load(): Settings {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          warn(`settings: cannot read ${file} (${String(error)}); using the defaults`);
        }
        return defaultSettings();
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        warn(`settings: ${file} is not valid JSON; using the defaults`);
        return defaultSettings();
      }
      const parsed = parseSettings(raw);
      for (const warning of parsed.warnings) warn(warning);
      return parsed.settings;
    },
    save(settings: Settings): void {
      mkdirSync(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
      renameSync(temp, file);
    },
  };
}
