/**
 * Announcements: an admin's notice to every subscriber or to one user. Stored as ONE event (fan-out
 * on read, like a post), then pushed once the write is durable.
 */
import type {
  AnnouncementRequest,
  AnnouncementResponse,
  NotificationItem,
} from '../../contract/wire.js';
import type { AccountStore, AnnouncementStore, UserRecord } from '../store/store.js';
import { DomainError } from './errors.js';
import { toNotificationItem } from './notificationItems.js';
import type { Push } from './push.js';

export interface AnnouncementOptions {
  store: AnnouncementStore & Pick<AccountStore, 'findUserByUsername'>;
  push: Push;
  publicUrl: string;
}

export function createAnnouncements({ store, push, publicUrl }: AnnouncementOptions) {
  return {
    async send(admin: UserRecord, input: AnnouncementRequest): Promise<AnnouncementResponse> {
      if (!admin.isAdmin) {
        throw new DomainError('forbidden', 'Only admins can send announcements.');
      }
      const recipient =
        input.to === undefined ? undefined : await store.findUserByUsername(input.to);
      if (input.to !== undefined && !recipient) {
        throw new DomainError('not_found', `There is no user called ${input.to}.`);
      }
      const event = await store.announce({
        actorId: admin.id,
        actorName: admin.username,
        title: input.title,
        ...(input.text === undefined ? {} : { text: input.text }),
        ...(input.url === undefined ? {} : { url: input.url }),
        audience: recipient ? { kind: 'user', userId: recipient.id } : { kind: 'subscribers' },
      });
      const item: NotificationItem = toNotificationItem(publicUrl, { event, read: false });
      push.announced(
        item,
        recipient
          ? { kind: 'user', userId: recipient.id }
          : { kind: 'subscribers', senderId: admin.id },
      );
      return {
        id: event.id,
        announcement: item.type === 'announcement' ? item.announcement : { title: input.title },
        to: recipient?.username ?? null,
      };
    },
  };
}

export type Announcements = ReturnType<typeof createAnnouncements>;
