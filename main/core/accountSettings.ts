/**
 * One account's view of the settings the several-account core shares. Each account's core reads
 * the shared settings with itself as the only account in `accounts`, exactly as a one-account app
 * would, and what it saves changes only its own entry: signing in adds or replaces it (in place,
 * so the list keeps its order), signing out removes it. The shared fields (notifications, quiet
 * hours…) are changed through the composer alone, so an account's stale copy can never undo them.
 */
import type { Account, Settings } from '../../contract/ipc.js';
import { accountId } from '../../contract/accounts.js';
import type { SettingsStore } from './ports.js';
import type { Preferences } from './preferences.js';

/** The account a member core is for: unknown until its first sign-in succeeds. */
export interface AccountSlot {
  account: Account | null;
}

export function accountSettings(shared: Preferences, slot: AccountSlot): SettingsStore {
  const listed = (settings: Settings): number => {
    const own = slot.account;
    if (own === null) return -1;
    return settings.accounts.findIndex((entry) => accountId(entry) === accountId(own));
  };

  return {
    load() {
      const settings = shared.copy();
      const own = settings.accounts[listed(settings)];
      if (own === undefined) return { ...settings, accounts: [] };
      // serverUrl also decides where a post's off-origin link falls back to: its own server.
      return { ...settings, serverUrl: own.serverUrl, username: own.username, accounts: [own] };
    },
    save(next) {
      const settings = shared.current();
      const index = listed(settings);
      const mine = next.accounts[0];
      const accounts = [...settings.accounts];
      if (mine === undefined) {
        if (index !== -1) accounts.splice(index, 1);
      } else if (index === -1) {
        accounts.push({ ...mine });
      } else {
        accounts[index] = { ...mine };
      }
      if (mine !== undefined) slot.account = { ...mine };
      const saved = shared.save({
        ...settings,
        // The sign-in form starts from the last account signed in to.
        ...(mine === undefined ? {} : { serverUrl: mine.serverUrl, username: mine.username }),
        accounts,
      });
      if (!saved.ok) throw new Error(saved.message);
    },
  };
}
