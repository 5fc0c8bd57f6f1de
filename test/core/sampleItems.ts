/** Builds notification items the way the server sends them, for the pure tests. */
import type { AnnouncementItem, PostNotificationItem } from '../../contract/wire.js';

export const SERVER = 'http://127.0.0.1:4300';

export function sampleItem(
  seq: number,
  overrides: Partial<Omit<PostNotificationItem, 'seq'>> = {},
): PostNotificationItem {
  const postId = overrides.post?.id ?? `p${seq}`;
  return {
    id: `n${seq}`,
    type: 'new_post',
    message: `Ana published “Post ${seq}”`,
    post: { id: postId, title: `Post ${seq}`, url: `${SERVER}/posts/${postId}` },
    actor: { id: 'u-ana', name: 'Ana' },
    createdAt: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    read: false,
    ...overrides,
    seq,
  };
}

export function sampleLike(
  seq: number,
  actor: string,
  postId: string,
  title = 'Hello',
): PostNotificationItem {
  return sampleItem(seq, {
    type: 'post_liked',
    message: `${actor} liked “${title}”`,
    actor: { id: `u-${actor}`, name: actor },
    post: { id: postId, title, url: `${SERVER}/posts/${postId}` },
  });
}

export function sampleAnnouncement(
  seq: number,
  announcement: AnnouncementItem['announcement'] = { title: `Notice ${seq}` },
): AnnouncementItem {
  return {
    id: `n${seq}`,
    seq,
    type: 'announcement',
    message: `Announcement: ${announcement.title}`,
    announcement,
    actor: { id: 'u-admin', name: 'Admin' },
    createdAt: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    read: false,
  };
}
