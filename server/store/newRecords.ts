/**
 * The records every driver builds the same way from what it is given, here once so the drivers
 * cannot drift apart: a followed feed's new entry (one post in the name of the admin who added the
 * feed, pointing to the original article, and ONE new_post event for the subscribers, signed with
 * the feed's title), and an announcement's ONE event. The driver adds seq, id and time.
 */
import { newId } from './lowdb/ids.js';
import type {
  EventRecord,
  FeedRecord,
  ImportedEntry,
  Iso,
  NewAnnouncement,
  PostRecord,
} from './records.js';

type NewEvent = Omit<EventRecord, 'seq' | 'id' | 'createdAt'>;

export function importedPost(
  feed: Pick<FeedRecord, 'id' | 'addedBy'>,
  feedTitle: string,
  entry: ImportedEntry,
  at: Iso,
): PostRecord {
  return {
    id: newId(),
    authorId: feed.addedBy,
    title: entry.title,
    body: entry.html,
    excerpt: entry.excerpt,
    createdAt: at,
    updatedAt: at,
    source: { feedId: feed.id, feedTitle, url: entry.url },
  };
}

export function importedPostEvent(post: PostRecord, feedTitle: string): NewEvent {
  return {
    type: 'new_post',
    audience: { kind: 'subscribers' },
    actorId: post.authorId,
    actorName: feedTitle,
    postId: post.id,
    postTitle: post.title,
    ...(post.source ? { url: post.source.url } : {}),
  };
}

export function announcementEvent(announcement: NewAnnouncement): NewEvent {
  return {
    type: 'announcement',
    audience: announcement.audience,
    actorId: announcement.actorId,
    actorName: announcement.actorName,
    postId: '',
    postTitle: announcement.title,
    ...(announcement.text === undefined ? {} : { text: announcement.text }),
    ...(announcement.url === undefined ? {} : { url: announcement.url }),
  };
}
