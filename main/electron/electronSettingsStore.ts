/**
 * The app's settings store: electron-store (a JSON file in the user's config directory, written
 * atomically). It only persists; validation and defaults are the core's settingsSchema, so the
 * app and the tests (which use the file store, as electron-store needs Electron) read settings
 * the same way. The token is never stored here: it lives in the keychain.
 */
import ElectronStore from 'electron-store';
import type { Settings } from '../../contract/ipc.js';
import type { SettingsStore } from '../core/ports.js';
import { parseSettings } from '../core/settingsSchema.js';

export function createElectronSettingsStore(
  warn: (message: string) => void = (message) => console.warn(message),
): SettingsStore {
  const store = new ElectronStore<Record<string, unknown>>({
    name: 'settings',
    // A file that is not JSON at all is replaced by the defaults instead of stopping the app.
    clearInvalidConfig: true,
  });
  return {
    load(): Settings {
      const parsed = parseSettings(store.store);
      for (const warning of parsed.warnings) warn(warning);
      return parsed.settings;
    },
    save(settings: Settings): void {
      store.store = { ...settings };
    },
  };
}
