/** The lowdb driver's AnnouncementStore: one event per announcement, whatever the audience. */
import type { AnnouncementStore } from '../store.js';
import type { CommitEngine } from './commitEngine.js';
import { recordEvent } from './events.js';

export function announcementQueries(engine: CommitEngine): AnnouncementStore {
  return {
    async announce(announcement) {
      engine.ensureOpen();
      const event = recordEvent(engine, {
        type: 'announcement',
        audience: announcement.audience,
        actorId: announcement.actorId,
        actorName: announcement.actorName,
        postId: '',
        postTitle: announcement.title,
        ...(announcement.text === undefined ? {} : { text: announcement.text }),
        ...(announcement.url === undefined ? {} : { url: announcement.url }),
      });
      await engine.commit();
      return event;
    },
  };
}
