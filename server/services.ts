/** Builds the domain services over a store; the server and the admin commands share them. */
import { createAccounts } from './domain/accounts.js';
import { createInbox } from './domain/inbox.js';
import { createPosts } from './domain/posts.js';
import type { Push } from './domain/push.js';
import type { Store } from './store/store.js';

export interface ServiceOptions {
  store: Store;
  push: Push;
  publicUrl: string;
  passwordCost: number;
  /** Lets self-service sign-up create the first account; see server/domain/setupCode.ts. */
  setupCode?: string;
  /** Days a device token may go unused; the accounts service's default when omitted. */
  tokenIdleDays?: number;
}

export function createServices({
  store,
  push,
  publicUrl,
  passwordCost,
  setupCode,
  tokenIdleDays,
}: ServiceOptions) {
  return {
    accounts: createAccounts({
      store,
      push,
      passwordCost,
      ...(setupCode ? { setupCode } : {}),
      ...(tokenIdleDays ? { tokenIdleDays } : {}),
    }),
    posts: createPosts({ store, push, publicUrl }),
    inbox: createInbox({ store, push, publicUrl }),
  };
}

export type Services = ReturnType<typeof createServices>;
