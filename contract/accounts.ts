/**
 * How an account of several is named: its id (the same `<server-origin>#<username>` the keychain
 * stores its token under, so one account is one key everywhere) and the short label the inbox
 * window and notifications show beside an item when the app follows more than one account.
 */
import type { Account } from './ipc.js';

export function accountId(account: Account): string {
  return `${account.serverUrl}#${account.username}`;
}

/** `reader@blog.example.org`: the username and the server's host (with its port, if any). */
export function accountLabel(account: Account): string {
  let host = account.serverUrl;
  try {
    host = new URL(account.serverUrl).host;
  } catch {
    // Settings only hold validated origins; a bad one is shown as it is.
  }
  return `${account.username}@${host}`;
}
