/** The PostgreSQL driver's AnnouncementStore: one event per announcement, whatever the audience. */
import type { AnnouncementStore } from '../store.js';
import type { PostgresEngine } from './engine.js';

export function announcementQueries(engine: PostgresEngine): AnnouncementStore {
  return {
    async announce(announcement) {
      const event = await engine.write((_client, events) =>
        events.record({
          type: 'announcement',
          createdAt: engine.now(),
          audience: announcement.audience,
          actorId: announcement.actorId,
          actorName: announcement.actorName,
          postId: '',
          postTitle: announcement.title,
          ...(announcement.text === undefined ? {} : { text: announcement.text }),
          ...(announcement.url === undefined ? {} : { url: announcement.url }),
        }),
      );
      engine.figures.count({ events: 1 });
      return event;
    },
  };
}
