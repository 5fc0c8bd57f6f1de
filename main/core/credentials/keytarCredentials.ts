/**
 * The device token in the OS keychain, through keytar: Keychain on macOS, Credential Vault on
 * Windows, the Secret Service (gnome-keyring, KWallet) on Linux. Service `Tidings`, account
 * `<server-origin>#<username>`. The token is never written anywhere else, and never logged.
 */
import { KeychainUnavailableError, type CredentialStore } from '../ports.js';
import { KEYCHAIN_SERVICE } from './credentialAccount.js';

type Keytar = typeof import('keytar');

const INSTALL_ADVICE =
  'Tidings keeps its sign-in in the system keychain, and none is available. On Linux, install and ' +
  'start a Secret Service: gnome-keyring (or KWallet with its Secret Service) and libsecret ' +
  '(Debian/Ubuntu: sudo apt install gnome-keyring libsecret-1-0), then sign in again.';

export function createKeytarCredentials(service: string = KEYCHAIN_SERVICE): CredentialStore {
  let loaded: Promise<Keytar> | null = null;

  // Loaded on first use: keytar is a native module, and a machine without libsecret must still
  // start the app and show the advice instead of crashing at import time.
  const keytar = (): Promise<Keytar> => {
    loaded ??= import('keytar').then(
      (module: Keytar & { default?: Keytar }) => module.default ?? module,
      (error: unknown) => {
        loaded = null;
        throw unavailable(error);
      },
    );
    return loaded;
  };

  const call = async <T>(operation: (api: Keytar) => Promise<T>): Promise<T> => {
    const api = await keytar();
    try {
      return await operation(api);
    } catch (error) {
      throw unavailable(error);
    }
  };

  return {
    getToken: (account) => call((api) => api.getPassword(service, account)),
    setToken: (account, token) => call((api) => api.setPassword(service, account, token)),
    deleteToken: (account) => call((api) => api.deletePassword(service, account)),
  };
}

/** keytar's own errors ("Cannot autolaunch D-Bus…", "…not provided by any .service files") name no fix. */
function unavailable(cause: unknown): KeychainUnavailableError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new KeychainUnavailableError(`${INSTALL_ADVICE} (Details: ${detail})`, { cause });
}
