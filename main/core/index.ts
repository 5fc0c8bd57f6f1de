/** The tray app's core: everything the Electron shell and the inbox window's tests build on. */
export { createTidingsCore } from './tidingsCore.js';
export * from './ports.js';
export { systemClock } from './systemClock.js';
export { parseSettings, defaultSettings, DEFAULT_SETTINGS } from './settingsSchema.js';
export { credentialAccount, KEYCHAIN_SERVICE } from './credentials/credentialAccount.js';
export { checkPostUrl } from './postUrlGuard.js';
export { createAccountsCore } from './accountsCore.js';
export type { UpdateSource } from './updates.js';
