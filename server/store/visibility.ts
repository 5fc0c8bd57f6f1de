/**
 * Fan-out on read: who sees which event. An event is stored ONCE with an audience; a user's inbox
 * is derived from these rules at read time, never copied per recipient. Pure functions over
 * records, with no store behind them, so every driver shares them: lowdb calls them, a SQL driver
 * may express the same rules in its queries, and the conformance suite (test/store/conformance/)
 * proves that both agree.
 */
import type { EventRecord } from './records.js';

/**
 * A stretch of time a user was subscribed, in seqs: they see new_post events with
 * `from < seq <= to`. `to` is null while the subscription is still running.
 */
export type SubscriptionSpan = readonly [from: number, to: number | null];

export function isSubscribedNow(spans: readonly SubscriptionSpan[]): boolean {
  const last = spans[spans.length - 1];
  return last !== undefined && last[1] === null;
}

/**
 * Subscribing when `latestSeq` is the newest seq: only later posts show up. Returns undefined when
 * already subscribed (nothing changes). A subscription that resumes before any event happened since
 * it ended is merged back into the previous span, so flapping never grows the list.
 */
export function startSubscription(
  spans: readonly SubscriptionSpan[],
  latestSeq: number,
): SubscriptionSpan[] | undefined {
  if (isSubscribedNow(spans)) return undefined;
  const last = spans[spans.length - 1];
  if (last !== undefined && last[1] === latestSeq) {
    return [...spans.slice(0, -1), [last[0], null]];
  }
  return [...spans, [latestSeq, null]];
}

/**
 * Unsubscribing keeps what the user already had: the span closes at `latestSeq`. A span that saw no
 * event at all is dropped. Returns undefined when not subscribed.
 */
export function endSubscription(
  spans: readonly SubscriptionSpan[],
  latestSeq: number,
): SubscriptionSpan[] | undefined {
  const last = spans[spans.length - 1];
  if (last === undefined || last[1] !== null) return undefined;
  const rest = spans.slice(0, -1);
  return last[0] >= latestSeq ? rest : [...rest, [last[0], latestSeq]];
}

export function spanCovers(span: SubscriptionSpan, seq: number): boolean {
  return seq > span[0] && (span[1] === null || seq <= span[1]);
}

/** The rule itself: what one viewer can see of one event. */
export function canSee(
  event: EventRecord,
  viewerId: string,
  spans: readonly SubscriptionSpan[],
): boolean {
  if (event.actorId === viewerId) return false;
  if (event.audience.kind === 'user') return event.audience.userId === viewerId;
  return spans.some((span) => spanCovers(span, event.seq));
}

/**
 * A like notifies the post's author unless the liker is the author, or this user's like of this
 * post was already notified once (like, unlike, like again stays one notification).
 */
export function likeNotifiesAuthor(like: {
  likerId: string;
  authorId: string;
  alreadyNotified: boolean;
}): boolean {
  return like.likerId !== like.authorId && !like.alreadyNotified;
}
