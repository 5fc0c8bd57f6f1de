/** The lowdb driver's SubscriptionStore: subscriptions kept as spans of seqs (visibility.ts). */
import type { SubscriptionStore } from '../store.js';
import { endSubscription, isSubscribedNow, startSubscription } from '../visibility.js';
import type { CommitEngine } from './commitEngine.js';

export function subscriptionQueries(engine: CommitEngine): SubscriptionStore {
  const { change, commit, ensureOpen } = engine;
  return {
    async subscribe(userId) {
      ensureOpen();
      const state = engine.state();
      const spans = startSubscription(state.subscriptions.get(userId) ?? [], state.latestSeq);
      if (!spans) return false;
      change(['spans', userId, spans]);
      await commit();
      return true;
    },

    async unsubscribe(userId) {
      ensureOpen();
      const state = engine.state();
      const spans = endSubscription(state.subscriptions.get(userId) ?? [], state.latestSeq);
      if (!spans) return false;
      change(['spans', userId, spans]);
      await commit();
      return true;
    },

    async isSubscribed(userId) {
      return isSubscribedNow(engine.state().subscriptions.get(userId) ?? []);
    },

    async listSubscriberIds() {
      return [...engine.state().subscriptions]
        .filter(([, spans]) => isSubscribedNow(spans))
        .map(([userId]) => userId);
    },
  };
}
