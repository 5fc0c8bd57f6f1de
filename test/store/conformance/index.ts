/**
 * The Store conformance suite: every behaviour in server/store/store.ts's contract, one function
 * per role, against any driver. A driver's runner calls `storeConformance(driver)` from a
 * `*.test.ts` file (test/store/lowdb.conformance.test.ts for lowdb). What only one driver does
 * (lowdb's journal, files and retention) is tested beside it, not here.
 */
import { accountConformance } from './accounts.js';
import { announcementConformance } from './announcements.js';
import type { StoreDriver } from './driver.js';
import { feedConformance } from './feeds.js';
import { inboxConformance } from './inbox.js';
import { lifecycleConformance } from './lifecycle.js';
import { postConformance } from './posts.js';
import { subscriptionConformance } from './subscriptions.js';

export type { OpenedStore, StoreDriver } from './driver.js';

export function storeConformance(driver: StoreDriver): void {
  lifecycleConformance(driver);
  accountConformance(driver);
  postConformance(driver);
  subscriptionConformance(driver);
  inboxConformance(driver);
  announcementConformance(driver);
  feedConformance(driver);
}
