// The preload script (or the browser-test harness) puts the app's API here; nothing else is exposed.
import type { TidingsApi } from '../contract/ipc.js';

declare global {
  interface Window {
    readonly tidings?: TidingsApi;
  }
}
