/** The Store conformance suite against the lowdb driver, each test in a throwaway data directory. */
import { storeConformance } from './conformance/index.js';
import { openTempStore } from './tempStore.js';

storeConformance({
  name: 'lowdb',
  async open() {
    // No commit window: the suite awaits each write in turn, so waiting for others only slows it.
    const temp = await openTempStore({ commitWindowMs: 0 });
    return {
      get store() {
        return temp.store;
      },
      reopen: () => temp.reopen(),
      cleanup: () => temp.dispose(),
    };
  },
});
