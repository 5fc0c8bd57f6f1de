/**
 * The PostgreSQL driver's SubscriptionStore: a user's subscription spans, changed one transaction
 * at a time per user, by the same rules as lowdb's (visibility.ts).
 */
import type { SubscriptionStore } from '../store.js';
import { endSubscription, startSubscription, type SubscriptionSpan } from '../visibility.js';
import type { Queryable } from './database.js';
import type { PostgresEngine } from './engine.js';
import { lockedLatestSeq } from './events.js';
import { lockUser } from './locks.js';
import { createBatchedLookup } from './batchedLookup.js';
import { allRows } from './rows.js';

async function spansOf(client: Queryable, userId: string): Promise<SubscriptionSpan[]> {
  return allRows(
    client,
    'SELECT from_seq, to_seq FROM subscription_spans WHERE user_id = $1 ORDER BY from_seq',
    [userId],
    (row: { from_seq: number; to_seq: number | null }) => [row.from_seq, row.to_seq] as const,
  );
}

async function replaceSpans(
  client: Queryable,
  userId: string,
  spans: readonly SubscriptionSpan[],
): Promise<void> {
  await client.query('DELETE FROM subscription_spans WHERE user_id = $1', [userId]);
  if (spans.length === 0) return;
  await client.query(
    `INSERT INTO subscription_spans (user_id, from_seq, to_seq)
     SELECT $1, f, t FROM unnest($2::bigint[], $3::bigint[]) AS s(f, t)`,
    [userId, spans.map(([from]) => from), spans.map(([, to]) => to)],
  );
}

type SpanRule = (spans: SubscriptionSpan[], latestSeq: number) => SubscriptionSpan[] | undefined;

export function subscriptionQueries(engine: PostgresEngine): SubscriptionStore {
  /** Applies `rule` to the user's spans at the newest seq; false when nothing changed. */
  const changeSpans = (userId: string, rule: SpanRule) =>
    engine.write(async (client) => {
      await lockUser(client, userId);
      const spans = rule(await spansOf(client, userId), await lockedLatestSeq(client));
      if (!spans) return false;
      await replaceSpans(client, userId, spans);
      return true;
    });

  // Every socket's connect asks (server/realtime/socketHandlers.ts): in a reconnect storm, one
  // query for many of them (batchedLookup.ts).
  const subscribedNow = createBatchedLookup({
    query: async (userIds: string[]) =>
      (
        await engine.db.query<{ user_id: string }>(
          `SELECT user_id FROM subscription_spans
            WHERE user_id = ANY($1::text[]) AND to_seq IS NULL`,
          [userIds],
        )
      ).rows,
    keyOf: (row) => row.user_id,
    toValue: (rows) => rows.length > 0,
  });

  return {
    subscribe: (userId) => changeSpans(userId, startSubscription),

    unsubscribe: (userId) => changeSpans(userId, endSubscription),

    isSubscribed: subscribedNow,

    listSubscriberIds: () =>
      allRows(
        engine.db,
        'SELECT user_id FROM subscription_spans WHERE to_seq IS NULL',
        [],
        (row: { user_id: string }) => row.user_id,
      ),
  };
}
