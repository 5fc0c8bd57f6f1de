/** The real clock, for the app. Tests pass their own. */
import type { Clock } from './ports.js';

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    // A pending retry or alert must not keep a Node process (a test, a CLI) alive on its own.
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
