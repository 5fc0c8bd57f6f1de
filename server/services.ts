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
}

export function createServices({ store, push, publicUrl, passwordCost }: ServiceOptions) {
  return {
    accounts: createAccounts({ store, push, passwordCost }),
    posts: createPosts({ store, push, publicUrl }),
    inbox: createInbox({ store, push, publicUrl }),
  };
}

export type Services = ReturnType<typeof createServices>;
